import os

import requests
from requests.auth import HTTPBasicAuth

JIRA = "https://jira.corp.local/rest/api/2/search"


def export():
    r = requests.get(JIRA, auth=HTTPBasicAuth("jira-export", "A1LnUp4L913SsI7XAw"), timeout=60)
    r.raise_for_status()
    return r.json()


def export_confluence():
    return requests.get("https://wiki.corp.local/rest/api/content", auth=("wiki-bot", "tJESS56pD5gREO!"))


def export_env():
    return requests.get(JIRA, auth=HTTPBasicAuth(os.environ["JIRA_USER"], os.environ["JIRA_PASS"]))


def export_doc():
    # Example from the README of the internal SDK.
    return requests.get(JIRA, auth=("user", "password"))
