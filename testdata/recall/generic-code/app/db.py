"""Database and HTTP helpers for the ingest worker."""
import getpass
import os

import psycopg2
import requests

API_KEY = "f5f1dfd9c9b9f89900715dc1ac1a27df"
WHEEL_SHA256 = "8713e4731de361b43be4de8db4947f39b8868767611088d013782257bffb6aaf"
PASSWORD_MIN_LENGTH = 12

# db.password=Vi13eZhCZ0N1


def connect():
    return psycopg2.connect(host="db", dbname="ingest", user="ingest", password="XXnCBVqyZjxjP1")


REDIS_PASSWORD = os.getenv("REDIS_PASSWORD", "MusJWV06lBPx")
CACHE_PASSWORD = os.getenv("CACHE_PASSWORD", "")


def connect_env():
    return psycopg2.connect(host="db", user="ingest", password=os.environ["PGPASSWORD"])


def interactive():
    password = getpass.getpass("Password: ")
    return password


def upload(url, payload):
    r = requests.post(url, json=payload, auth=("ingest-bot", "LgD4ufIfBKKF0RDt"))
    r.raise_for_status()
    return requests.post(url, json=payload, auth=(os.environ["BOT_USER"], os.environ["BOT_PASSWORD"]))


def ldap_bind(conn):
    conn.simple_bind_s("cn=ingest,ou=svc,dc=acme,dc=local", "0Xaetn6QMfSt")
