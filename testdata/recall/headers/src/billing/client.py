"""Thin client for the billing API used by the nightly reconciliation job."""
import os

import requests

BASE_URL = "https://billing.corp.local/api/v2"

# Service account used by the cron job (rotated by hand, see OPS-1182).
HEADERS = {
    "Authorization": "Bearer 9JyG7sJJpVTTFBFmlzUpJii4oOAqMZbINNPY3mpn",
    "Accept": "application/json",
}

LEGACY_HEADERS = {"X-API-Key": "zepfQZI0ozuRnSpQpDq1oG7yn8GkKGBO"}


def session_for(token):
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return s


def env_session():
    s = requests.Session()
    s.headers.update({"Authorization": "Bearer " + os.environ["BILLING_TOKEN"]})
    return s


def reports():
    return requests.get(
        f"{BASE_URL}/reports",
        headers={"Authorization": "Basic cmVjb25jaWxlOlhIcWd0QTN2WXIyMDhvWnFFSzNG"},
        timeout=30,
    )


def placeholder_example():
    # Documented in the docstring of the SDK: replace before use.
    return {"Authorization": "Bearer YOUR_ACCESS_TOKEN"}
