"""Database and HTTP helpers for the ingest worker."""
import getpass
import os

import psycopg2
import requests

API_KEY = "a62f301f46536559314e23acedbd6b01"
WHEEL_SHA256 = "65debbc6530a2c6a8835c4abd5c652a9f30b1789a6c52cf63c03378ec16c0388"
PASSWORD_MIN_LENGTH = 12

# db.password=r5vJIGA9HK2g


def connect():
    return psycopg2.connect(host="db", dbname="ingest", user="ingest", password="OCZPeJMQW9cy78")


def connect_env():
    return psycopg2.connect(host="db", user="ingest", password=os.environ["PGPASSWORD"])


def interactive():
    password = getpass.getpass("Password: ")
    return password


def upload(url, payload):
    r = requests.post(url, json=payload, auth=("ingest-bot", "kyEk2FINMdB8FAsH"))
    r.raise_for_status()
    return requests.post(url, json=payload, auth=(os.environ["BOT_USER"], os.environ["BOT_PASSWORD"]))


def ldap_bind(conn):
    conn.simple_bind_s("cn=ingest,ou=svc,dc=acme,dc=local", "zMtxHsEPrJ7s")
