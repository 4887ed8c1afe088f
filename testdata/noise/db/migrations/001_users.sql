-- 001: users and sessions
CREATE TABLE users (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email         CITEXT NOT NULL UNIQUE,
    password_hash VARCHAR(255) NOT NULL,
    api_key_hash  CHAR(64),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
    token_hash  CHAR(64) PRIMARY KEY,
    user_id     UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- seed account for local development; the hash is of a random throwaway value
INSERT INTO users (id, email, password_hash)
VALUES ('3f0c8a52-1b7e-4d0a-9c3e-2b8f6a1d4e77', 'admin@acme-corp.local',
        '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0$0qZ9mWgY3Hk0a1bY7uXhJ8a2Qp6vC1nE4tR5sD7fG8k');

-- the application role's password is set by the deploy job from a psql variable
ALTER ROLE accounts_app WITH PASSWORD :'app_password';
