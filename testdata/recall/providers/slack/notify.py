"""Post build results to the #deploys channel."""
import os
import requests

# Incoming webhook, split so it fits in 99 columns.
WEBHOOK_URL = ("https://hooks.slack.com/services/"
               "THJKIH16M/BK78NERGIH6/BwenRGyvXZgTpjxO4BDnkJJY")

ALERTS_URL = "https://hooks.slack.com/services/" + "TPVCGIJE9/BXCC2DKQWN3/TXRvtfZB6EYYgzIQyyPUblK4"

# Old bot token of the 2016 integration, two segments.
LEGACY_BOT = "xoxb-41094668523-rCaoND5bgfTFAbGOUBwXdnYc"

# Placeholders from the README, never reported.
EXAMPLE_URL = "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX"
FROM_ENV = os.environ.get("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/...")


def post(text):
    requests.post(WEBHOOK_URL, json={"text": text}, timeout=10)
