"""Django settings for the accounts service. Secrets come from the environment."""
import os
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
DEBUG = os.getenv("DEBUG", "false").lower() == "true"
ALLOWED_HOSTS = os.getenv("ALLOWED_HOSTS", "localhost").split(",")

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.getenv("DB_NAME", "accounts"),
        "USER": os.getenv("DB_USER", "accounts"),
        "PASSWORD": os.getenv("DB_PASSWORD", ""),
        "HOST": os.getenv("DB_HOST", "localhost"),
        "PORT": int(os.getenv("DB_PORT", "5432")),
    }
}
DATABASE_URL_TEMPLATE = "postgresql://{user}:{password}@{host}:{port}/{name}"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_RESET_TIMEOUT = 3600
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

STRIPE_API_KEY = os.environ.get("STRIPE_API_KEY")
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
secret_key = None
password = ""


@dataclass
class Credentials:
    username: str
    password: str
    api_key: str | None = None
    token: str | None = None


def login(username: str, password: str) -> bool:
    from django.contrib.auth import authenticate

    user = authenticate(username=username, password=password)
    return user is not None


def change_password(user, password, confirm_password):
    if password == confirm_password:
        user.set_password(password)
        user.save(update_fields=["password"])
        return True
    return False


def client_from_request(request, settings):
    api_key = settings.API_KEY
    token = request.headers["Authorization"]
    password = request.POST.get("password", "")
    password_field = "password_input"
    return api_key, token, password, password_field


def refresh(client):
    token = get_token()
    access_token = client.fetch_token(token_url="https://auth.acme-corp.io/oauth/token")
    return token, access_token


def get_token():
    return os.environ["SERVICE_TOKEN"]
