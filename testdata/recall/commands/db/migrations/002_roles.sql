-- 002: application roles (PostgreSQL)
CREATE ROLE shop_app WITH LOGIN PASSWORD 'Sa7q2wKx9mZ4';
CREATE ROLE shop_readonly
    WITH LOGIN
    NOSUPERUSER
    ENCRYPTED PASSWORD 'Ro5k8wQz3vXn';
ALTER ROLE shop_migrator WITH PASSWORD 'Mg4v9kWq2xLr';

-- set by the deploy job from a psql variable, or stored as a hash
ALTER ROLE accounts_app WITH PASSWORD :'app_password';
ALTER ROLE shop_batch WITH PASSWORD 'md5c1a7f3e9b2d4a6c8e0f1b3d5a7c9e2f4';
ALTER ROLE shop_report WITH PASSWORD 'SCRAM-SHA-256$4096:c2FsdHNhbHQ=$c3RvcmVka2V5:c2VydmVya2V5';
ALTER ROLE shop_legacy PASSWORD NULL;

GRANT SELECT ON ALL TABLES IN SCHEMA public TO shop_readonly;
