import pytest

from app.users import User


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="admin", password="czlY78QitWQ2")


def test_login(client, admin):
    assert client.login(username="admin", password="V6yNLOZWbkmA")


def test_wrong_password(client, admin):
    assert not client.login(username="admin", password="")


def test_set_password(admin):
    admin.set_password("K7vdPYcUQYjz9F")
    admin.set_password(admin.generated_password())
