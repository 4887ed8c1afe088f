import pytest

from app.users import User


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="admin", password="7GiPnXj0SyEv")


def test_login(client, admin):
    assert client.login(username="admin", password="6ANaUzNSuYYp")


def test_wrong_password(client, admin):
    assert not client.login(username="admin", password="")


def test_set_password(admin):
    admin.set_password("nGvYs0gNTkqXI5")
    admin.set_password(admin.generated_password())
