#!/usr/bin/env bash
set -euo pipefail
aws_url="s3://AKIAQX7Z2Y3W4V5U6T7S:7MZsHIZ4WRaE623QvOev6xtGoJ9V4qsZZ8q9LvNQ@backups-prod/db"
duplicity /var/lib/postgresql "$aws_url"
lftp -e "mirror -R /srv/exports /inbound; quit" "sftp://exports:cwzxi2KavUccwUwr@sftp.partner.io"
pip install --index-url "https://deploy:74TF5CgHkZhpnm7zgH@nexus.corp.local/repository/pypi/simple" shop-internal
pip install "git+https://ci-bot:Qne308FJOh1ZIKLmtONi@git.corp.local/shop/sdk.git@v2.1.0#egg=shop-sdk"
git clone "https://oauth2:${CI_JOB_TOKEN}@gitlab.corp.local/shop/api.git"
git clone git@github.com:shop/api.git
git clone ssh://git@git.corp.local:2222/shop/api.git
