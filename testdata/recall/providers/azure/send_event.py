import requests

# token minted once by ops, valid for a year
SAS_TOKEN = "SharedAccessSignature sr=https%3A%2F%2Fcontoso-telemetry.servicebus.windows.net%2Fclicks&sig=grcO7n8aUDm%2B8H7CNH8GbtCPXcdRJEfjQEMAAmtuVFU%3D&se=1798761600&skn=send"

# the format, from the docs
EXAMPLE = "SharedAccessSignature sr={uri}&sig={signature}&se={expiry}&skn={policy}"


def send(body):
    return requests.post(
        "https://contoso-telemetry.servicebus.windows.net/clicks/messages",
        headers={"Authorization": SAS_TOKEN, "Content-Type": "application/json"},
        data=body,
        timeout=5,
    )
