-- 003: MySQL users for the legacy shop
CREATE USER 'shop'@'%' IDENTIFIED BY 'Sh7k2wQz9xLm';
CREATE USER 'etl'@'10.0.%' IDENTIFIED WITH mysql_native_password BY 'Et5q8wKz3vRn';
ALTER USER 'root'@'localhost' IDENTIFIED BY 'Rt9v4kWq2xMz';
SET PASSWORD FOR 'monitor'@'localhost' = PASSWORD('Mn6w3kQz8vLx');
GRANT SELECT ON shop.* TO 'report'@'%' IDENTIFIED BY 'Rp3k7wQz5xNv';

-- hashed or templated: not a password in clear
CREATE USER 'backup'@'localhost' IDENTIFIED BY PASSWORD '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19';
CREATE USER 'ci'@'%' IDENTIFIED BY '${CI_DB_PASSWORD}';
CREATE USER 'ops'@'%' IDENTIFIED BY 'password';
