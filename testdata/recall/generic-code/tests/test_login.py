import pytest

from app.users import User


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="admin", password="fwrNTHg4ESDf")


def test_login(client, admin):
    assert client.login(username="admin", password="9VLI2GtbYmAm")


def test_wrong_password(client, admin):
    assert not client.login(username="admin", password="")


def test_set_password(admin):
    admin.set_password("6RfY0CncIAHFk8")
    admin.set_password(admin.generated_password())
