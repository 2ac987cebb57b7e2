"""Django settings for microcred.

Everything an installation changes comes from the environment, so the same
code runs the embedded default (SQLite and files under ``MICROCRED_DATA_DIR``)
and a shared deployment (PostgreSQL through ``DATABASE_URL``).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("MICROCRED_DATA_DIR", "var")).resolve()


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return ``MICROCRED_SECRET_KEY``, or a key generated once and kept in the data folder."""
    if key := os.environ.get("MICROCRED_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = _env_bool("MICROCRED_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("MICROCRED_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "microcred.core",
    "microcred.accounts",
    "microcred.organisations",
    "microcred.audit",
    "microcred.catalogue",
    "microcred.awards",
    "microcred.verification",
    "microcred.studio",
    "microcred.quality",
    "microcred.assessment",
]

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
LOGIN_REDIRECT_URL = "/studio/"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "microcred.site.urls"
WSGI_APPLICATION = "microcred.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'microcred.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Static files are served by WhiteNoise straight from the package, no collectstatic step;
# a deployment that collects them names the folder.
STATIC_ROOT = os.environ.get("MICROCRED_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = DATA_DIR / "media"
# Learners' evidence lives outside MEDIA_ROOT with no URL: only an authorising view serves it.
# A deployment may point "evidence" at any Django storage backend.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "evidence"), "base_url": "/no-public-url/"},
    },
}

# A credential, even a baked image, is small; anything larger is refused before it is read.
# The public address of this platform: it names the organisations' did:web DIDs
# and the ids of achievements, credentials and status lists.
PUBLIC_URL = os.environ.get("MICROCRED_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Encrypts signing keys at rest (Fernet keys, comma-separated: the first encrypts,
# all decrypt, so a key can be rotated). Generated once into the data folder if unset.
KEY_ENCRYPTION_KEYS = os.environ.get("MICROCRED_KEY_ENCRYPTION_KEYS", "")

EMAIL_BACKEND = os.environ.get(
    "MICROCRED_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("MICROCRED_FROM_EMAIL", "microcred <noreply@localhost>")

# Quality profiles every micro-credential must meet, whatever its organisation chose.
REQUIRED_QA_PROFILES = os.environ.get(
    "MICROCRED_REQUIRED_QA_PROFILES", "eu-annex-i,coherence"
).split(",")

VERIFY_MAX_UPLOAD_BYTES = int(os.environ.get("MICROCRED_VERIFY_MAX_UPLOAD_BYTES", 5 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = VERIFY_MAX_UPLOAD_BYTES + 64 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = VERIFY_MAX_UPLOAD_BYTES + 64 * 1024

# Verification fetches did:web documents and status lists. Private and loopback
# addresses are refused unless an operator allows them (for an intranet).
VERIFY_ALLOW_PRIVATE_ADDRESSES = _env_bool("MICROCRED_VERIFY_ALLOW_PRIVATE_ADDRESSES", False)
VERIFY_FETCH_TIMEOUT = float(os.environ.get("MICROCRED_VERIFY_FETCH_TIMEOUT", 5))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MICROCRED_LOG_LEVEL", "INFO")},
}
