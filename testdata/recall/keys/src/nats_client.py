import asyncio
import nats

ACCOUNT_SEED = "SAAEFBJFNODMPKYSIZVI4KMK4F6HNDQWJHL7GBHUOMAUACQK3MFJPPZNZ4"

async def main():
    nc = await nats.connect("nats://nats.acme.internal:4222", nkeys_seed_str=ACCOUNT_SEED)
