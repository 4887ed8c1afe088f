import pytest

from app.users import User


@pytest.fixture
def admin(db):
    return User.objects.create_user(username="admin", password="Tm7HTT17mK8b")


def test_login(client, admin):
    assert client.login(username="admin", password="vf73xrD4hCUi")


def test_wrong_password(client, admin):
    assert not client.login(username="admin", password="")


def test_set_password(admin):
    admin.set_password("p5KIIJeJ6qk6V5")
    admin.set_password(admin.generated_password())
