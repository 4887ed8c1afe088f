import requests

DOMAIN = "mg.contoso.com"


def send(to, subject, text):
    return requests.post(
        f"https://api.eu.example.net/v3/{DOMAIN}/messages",
        auth=("api", "key-3f6a9c2e8b1d4f7a0c5e2b9d6a3f8c1e"),
        data={"from": f"ops@{DOMAIN}", "to": to, "subject": subject, "text": text},
        timeout=10,
    )


# not a key: a cache entry
CACHE = {"api": "key-value-store"}
