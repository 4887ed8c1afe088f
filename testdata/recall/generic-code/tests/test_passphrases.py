import pytest


def test_login_with_a_passphrase(client):
    resp = client.post("/login", json={"username": "alice", "password": "correct horse battery"})
    assert resp.status_code == 200


def test_the_form_hint_is_not_a_password(page):
    assert page.placeholder("password") == "Enter your password"
