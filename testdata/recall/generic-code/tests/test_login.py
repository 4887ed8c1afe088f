import pytest

from app.users import User


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="admin", password="0ifwrNTHg4ES")


def test_login(client, admin):
    assert client.login(username="admin", password="Df9VLI2GtbYm")


def test_wrong_password(client, admin):
    assert not client.login(username="admin", password="")


def test_set_password(admin):
    admin.set_password("Am6RfY0CncIAHF")
    admin.set_password(admin.generated_password())
