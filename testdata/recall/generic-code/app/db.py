"""Database and HTTP helpers for the ingest worker."""
import getpass
import os

import psycopg2
import requests

API_KEY = "5c652a9f30b1789a6c52cf63c03378ec"
WHEEL_SHA256 = "43be4de8db4947f39b8868767611088d013782257bffb6aaf423e6ed8c4b4a95"
PASSWORD_MIN_LENGTH = 12

# db.password=BPxLgD4ufIfB


def connect():
    return psycopg2.connect(host="db", dbname="ingest", user="ingest", password="KKF0RDt0Xaetn6")


REDIS_PASSWORD = os.getenv("REDIS_PASSWORD", "QMfStFUWSus4")
CACHE_PASSWORD = os.getenv("CACHE_PASSWORD", "")


def connect_env():
    return psycopg2.connect(host="db", user="ingest", password=os.environ["PGPASSWORD"])


def interactive():
    password = getpass.getpass("Password: ")
    return password


def upload(url, payload):
    r = requests.post(url, json=payload, auth=("ingest-bot", "jowQUux6huTCKM65"))
    r.raise_for_status()
    return requests.post(url, json=payload, auth=(os.environ["BOT_USER"], os.environ["BOT_PASSWORD"]))


def ldap_bind(conn):
    conn.simple_bind_s("cn=ingest,ou=svc,dc=acme,dc=local", "8R6rCHZtDuoz")
