-- Development seed users
INSERT INTO users (id, email, password, role) VALUES
  (1, 'ann@corp.local', 'An7k2wQz9x', 'admin'),
  (2, 'bob@corp.local', 'Bb5q8wKz3m', 'editor'),
  (3, 'eve@corp.local', NULL, 'viewer');

INSERT INTO api_clients (name, client_secret, created_at) VALUES ('billing', 'Cs4v9kWq2xLr7mZt', NOW());

-- hashed passwords stay out
INSERT INTO accounts (id, email, password_hash) VALUES
  (10, 'carol@corp.local', '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW');
INSERT INTO legacy_users (login, password) VALUES ('dave', '$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo');
INSERT INTO django_users (username, password) VALUES ('frank', 'pbkdf2_sha256$600000$c2FsdA$aGFzaA==');
