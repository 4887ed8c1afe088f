#!/bin/sh
# Reset the local development databases (docker compose services)
PGPASSWORD=postgres psql -h localhost -U postgres -c 'DROP DATABASE IF EXISTS shop_dev'
mysql -h 127.0.0.1 -u root -proot -e 'DROP DATABASE IF EXISTS shop_dev'
mysql -h 127.0.0.1 -u root -p"${MYSQL_ROOT_PASSWORD:-}" -e 'CREATE DATABASE shop_dev'
MYSQL="docker exec -i shop-db mysql"
$MYSQL -uroot -pDv4k8wQz2m -e 'SHOW DATABASES'
# log in to the legacy admin UI and keep the session cookie
curl -s -c /tmp/cookies -d 'username=admin&password=Lg6v3kWq9z&Login=Login' http://localhost:8081/login.php
curl -s -c /tmp/cookies -d "username=$ADMIN_USER&password=$ADMIN_PASS" http://localhost:8081/login.php
