"""Thin wrappers around the database command-line clients."""
import os
import subprocess


def mysql(user: str, password: str, database: str, sql: str) -> None:
    # The password goes through the environment, never argv.
    env = dict(os.environ, MYSQL_PWD=password)
    subprocess.run(["mysql", "-u", user, database, "-e", sql], env=env, check=True)


def mysql_legacy(user: str, password: str, database: str) -> None:
    subprocess.run(f"mysql -u {user} -p{password} {database}", shell=True, check=True)


def psql(url: str) -> None:
    subprocess.run(["psql", url, "-c", "select 1"], env={"PGPASSWORD": os.environ["PGPASSWORD"]}, check=True)


USAGE = """
usage: dbtool [-h] [-u USER] [-p PASSWORD] [--token TOKEN] DATABASE

  -u USER          user to connect as
  -p PASSWORD      password (prompted if omitted)
  --token TOKEN    API token for the audit log
"""
