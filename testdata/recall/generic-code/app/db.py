"""Database and HTTP helpers for the ingest worker."""
import getpass
import os

import psycopg2
import requests

API_KEY = "301f46536559314e23acedbd6b0165de"
WHEEL_SHA256 = "e21c5cf5f1dfd9c9b9f89900715dc1ac1a27df8713e4731de361b43be4de8db4"
PASSWORD_MIN_LENGTH = 12

# db.password=8sUipEhG5tYG


def connect():
    return psycopg2.connect(host="db", dbname="ingest", user="ingest", password="N2wrrNRUKSLmOr")


REDIS_PASSWORD = os.getenv("REDIS_PASSWORD", "Wpm8pGP6m4Rc")
CACHE_PASSWORD = os.getenv("CACHE_PASSWORD", "")


def connect_env():
    return psycopg2.connect(host="db", user="ingest", password=os.environ["PGPASSWORD"])


def interactive():
    password = getpass.getpass("Password: ")
    return password


def upload(url, payload):
    r = requests.post(url, json=payload, auth=("ingest-bot", "6RkJpOxEEwnvvFVi"))
    r.raise_for_status()
    return requests.post(url, json=payload, auth=(os.environ["BOT_USER"], os.environ["BOT_PASSWORD"]))


def ldap_bind(conn):
    conn.simple_bind_s("cn=ingest,ou=svc,dc=acme,dc=local", "13eZhCZ0N1XX")
