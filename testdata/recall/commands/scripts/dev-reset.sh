#!/bin/sh
# Reset the local development databases (docker compose services)
PGPASSWORD=postgres psql -h localhost -U postgres -c 'DROP DATABASE IF EXISTS shop_dev'
mysql -h 127.0.0.1 -u root -proot -e 'DROP DATABASE IF EXISTS shop_dev'
mysql -h 127.0.0.1 -u root -p"${MYSQL_ROOT_PASSWORD:-}" -e 'CREATE DATABASE shop_dev'
