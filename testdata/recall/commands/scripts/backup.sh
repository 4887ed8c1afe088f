#!/usr/bin/env bash
# Nightly backup of the shop databases to the NAS.
set -euo pipefail

BACKUP_DIR=/srv/backup/$(date +%F)
mkdir -p "$BACKUP_DIR"

# MySQL: the legacy shop database
mysqldump -h db-legacy.corp.local -u backup -pQv7m2kLw9x --single-transaction shop > "$BACKUP_DIR/shop.sql"
mysql -u root -p"$MYSQL_ROOT_PASSWORD" -e 'FLUSH LOGS'
mysql -u root -p shop < /srv/sql/cleanup.sql
mysqladmin -h db-legacy.corp.local -u monitor '-pMn4x8qZr2' status

# PostgreSQL: accounts
PGPASSWORD=Pg3k9wQz7m pg_dump -h pg01.corp.local -U backup accounts > "$BACKUP_DIR/accounts.sql"
PGPASSWORD="$PG_BACKUP_PASSWORD" pg_dump -h pg02.corp.local -U backup billing > "$BACKUP_DIR/billing.sql"
export MYSQL_PWD=Ms8v2nQk5r
mysql -h db-legacy.corp.local -u reporter -e 'SELECT 1'

# Copy to the NAS over SSH
sshpass -p 'Nx5#qw8Lz2' rsync -a "$BACKUP_DIR" backup@nas01.corp.local:/volume1/backup/
sshpass -p "$NAS_PASSWORD" ssh backup@nas01.corp.local 'df -h'
sshpass -f /etc/backup/nas.pass scp "$BACKUP_DIR/shop.sql" backup@nas02.corp.local:/backup/

# Redis and Mongo snapshots
redis-cli -h cache01.corp.local -a Rd6t2wXk9q --no-auth-warning BGSAVE
redis-cli -h cache02.corp.local -a "$REDIS_PASSWORD" --no-auth-warning BGSAVE
mongodump --host rs0/mongo01.corp.local:27017 -u backup -p Mg7r3vKx2w --authenticationDatabase admin --out "$BACKUP_DIR/mongo"
mongodump --host rs0/mongo01.corp.local:27017 -u backup -p ${MONGO_BACKUP_PASSWORD} --out "$BACKUP_DIR/mongo2"
mongosh "mongodb://mongo01.corp.local:27017/admin" --username ops --password Ms4k8zQw2v --eval 'db.runCommand({ping: 1})'

# The broker's monitoring user
rabbitmqctl add_user monitoring Rb5w9kQz3x
rabbitmqctl set_user_tags monitoring monitoring
rabbitmqctl add_user "$MQ_USER" "$MQ_PASSWORD"
