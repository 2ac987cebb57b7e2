"""Django settings for microcred.

Everything an installation changes comes from the environment, so the same
code runs the embedded default (SQLite and files under ``MICROCRED_DATA_DIR``)
and a shared deployment (PostgreSQL through ``DATABASE_URL``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from microcred.datafiles import PRIVATE_FILE, PRIVATE_FOLDER, generated_secret, private_file

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
    return generated_secret(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


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
    "corsheaders",
    # The API's documentation page takes Swagger UI from ninja's static files, not a CDN.
    "ninja",
    "axes",
    # The task engine of bulk issuing: Django's tasks framework (the backport) with its
    # database backend (docs/decisions/0011-bulk-jobs-task-engine.md).
    "django_tasks",
    "django_tasks_db",
    "microcred.core",
    "microcred.accounts",
    "microcred.organisations",
    "microcred.audit",
    "microcred.catalogue",
    "microcred.awards",
    "microcred.verification",
    "microcred.recognition",
    "microcred.studio",
    "microcred.quality",
    "microcred.assessment",
    "microcred.pathways",
    "microcred.credentialengine",
    "microcred.europass",
    "microcred.wallets",
    "microcred.bulk",
    "microcred.learners",
    # Before the toolkit, whose templates the Open Badges API's consent page replaces.
    "microcred.obapi",
    "oauth2_provider",
    # Sign-up, email verification, password reset and email change (django-allauth), and
    # sign-in with an institution's OpenID Connect provider; after
    # microcred.accounts, whose templates replace theirs.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

# Bulk issuing's jobs run on workers of this backend (`microcred manage db_worker`, started by
# `microcred serve`); they use the platform's database, SQLite or PostgreSQL.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Rows a bulk worker issues per transaction (and per batch of learner emails).
BULK_BATCH_SIZE = int(os.environ.get("MICROCRED_BULK_BATCH_SIZE", 50))

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/login"
# Where a sign-in leads when no page was asked for: learners to /me/, staff to /studio/
# (microcred.accounts.adapter.AccountAdapter decides).
LOGIN_REDIRECT_URL = "/me/"
# django-axes goes first: it refuses a sign-in while its account or address is locked out.
# allauth's backend signs in by username or email address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that answers on its own, so preflight requests get their answer.
    "corsheaders.middleware.CorsMiddleware",
    # Inside CORS (whose headers it keeps) and around everything that may refuse a request.
    "microcred.core.api.ApiErrorsAsJson",
    "microcred.obapi.middleware.ImsxErrors",
    "microcred.site.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "microcred.site.languages.InterfaceLanguage",
    "django.middleware.common.CommonMiddleware",
    "microcred.verification.middleware.VerifySizeLimit",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.i18n",
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
    # Created private before SQLite opens it; SQLite gives its -wal and -shm files the
    # database file's mode.
    if DATABASES["default"]["NAME"] != ":memory:":
        private_file(Path(DATABASES["default"]["NAME"]))
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en"
# The interface's languages: each app keeps its German catalogue in its own locale/ folder
# (`make messages` refreshes them). The visitor chooses through the switcher in the footer;
# without a choice the browser's Accept-Language decides. What designers write (titles,
# outcomes) stays in the language it was written in.
LANGUAGES = [("en", "English"), ("de", "Deutsch")]
# The site's own catalogue, and the engine's: frameworks and vc are not Django apps, yet the
# sentences they write for people (findings, verification checks) are translated on display.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR.parent / "frameworks" / "locale",
    BASE_DIR.parent / "vc" / "locale",
]
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
        "OPTIONS": {
            "location": str(DATA_DIR / "evidence"),
            "base_url": "/no-public-url/",
            "file_permissions_mode": PRIVATE_FILE,
            "directory_permissions_mode": PRIVATE_FOLDER,
        },
    },
}

# A credential, even a baked image, is small; anything larger is refused before it is read.
# The public address of this platform: it names the organisations' did:web DIDs
# and the ids of achievements, credentials and status lists.
PUBLIC_URL = os.environ.get("MICROCRED_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")

# Encrypts signing keys at rest (Fernet keys, comma-separated: the first encrypts,
# all decrypt, so a key can be rotated). Generated once into the data folder if unset.
KEY_ENCRYPTION_KEYS = os.environ.get("MICROCRED_KEY_ENCRYPTION_KEYS", "")

# Keys the audit log's hash chain (HMAC-SHA256), so that only the platform can write a
# chain that checks: generated once into the data folder if unset. Checkpoints of the
# chain's head go to a file outside the database (``audit_check --checkpoint``).
AUDIT_KEY = os.environ.get("MICROCRED_AUDIT_KEY", "")
AUDIT_CHECKPOINTS = Path(
    os.environ.get("MICROCRED_AUDIT_CHECKPOINTS", DATA_DIR / "audit-checkpoints.jsonl")
).resolve()

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

# Credential Engine's Registry Assistant: where the organisation's CTDL graph is POSTed (its
# graph publishing endpoint) and the organisation's API key; publishing is off while empty.
CTDL_REGISTRY_URL = os.environ.get("MICROCRED_CTDL_REGISTRY_URL", "")
CTDL_API_KEY = os.environ.get("MICROCRED_CTDL_API_KEY", "")
CTDL_REGISTRY_TIMEOUT = float(os.environ.get("MICROCRED_CTDL_REGISTRY_TIMEOUT", 15))

# Anonymous verification through the API is limited per client address ("30/minute", or
# several limits separated by ";"). The counts live in MICROCRED_RATE_LIMIT_STORAGE:
# memory:// counts per process; several processes or machines share redis://host:6379/0.
# Behind N reverse proxies that append to X-Forwarded-For, set MICROCRED_PROXY_COUNT=N.
VERIFY_RATE_LIMIT = os.environ.get("MICROCRED_VERIFY_RATE_LIMIT", "30/minute")
RATE_LIMIT_STORAGE = os.environ.get("MICROCRED_RATE_LIMIT_STORAGE", "memory://")
PROXY_COUNT = int(os.environ.get("MICROCRED_PROXY_COUNT", 0))

# Verification fetches did:web documents and status lists. Private and loopback
# addresses are refused unless an operator allows them (for an intranet).
VERIFY_ALLOW_PRIVATE_ADDRESSES = _env_bool("MICROCRED_VERIFY_ALLOW_PRIVATE_ADDRESSES", False)
VERIFY_FETCH_TIMEOUT = float(os.environ.get("MICROCRED_VERIFY_FETCH_TIMEOUT", 5))
# One verification (a /verify submission) may fetch for this long in all, and one
# credential may need this many documents: a hostile credential cannot hold a worker.
VERIFY_DEADLINE_SECONDS = float(os.environ.get("MICROCRED_VERIFY_DEADLINE_SECONDS", 8))
VERIFY_MAX_FETCHES = int(os.environ.get("MICROCRED_VERIFY_MAX_FETCHES", 8))

# Status lists change when a credential is revoked or suspended: caches keep one this many
# seconds, then ask again with its ETag (a 304 costs nothing).
STATUS_LIST_MAX_AGE = int(os.environ.get("MICROCRED_STATUS_LIST_MAX_AGE", 30))

# Cross-origin reads (CORS) are open for the public documents that credentials point at,
# so that browser-based verifiers and wallets on other origins can check them: status lists,
# credentials, achievements (and their images), issuer DID documents and profiles, QA reports;
# and the anonymous verification API. Nothing else is opened: no page, form or API that reads
# the session. Credentials (cookies) are never allowed, so "*" exposes only what any anonymous
# client sees.
_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_SLUG = r"[-a-zA-Z0-9_]+"
CORS_URLS_REGEX = (
    rf"^/(status/{_SLUG}/{_SLUG}"
    rf"|credentials/{_UUID}(\.json|\.jwt)?"
    rf"|achievements/{_UUID}(\.json|/image)?"
    rf"|orgs/{_SLUG}/(did|profile)\.json"
    rf"|qa/{_SLUG}/{_SLUG}/v[0-9]+(/|\.json)"
    r"|api/v1/verify"
    # The Open Badges API and the OAuth 2.0 endpoints a browser-based backpack calls: they
    # read bearer tokens and client credentials, never the session (the consent page does,
    # and stays closed).
    r"|ims/ob/v3p0/(discovery|credentials|profile)"
    r"|oauth/(register|token/|revoke_token/))$"
)
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT")
CORS_ALLOW_HEADERS = (
    "accept",
    "accept-language",
    "authorization",
    "cache-control",
    "content-type",
    "if-none-match",
)
CORS_EXPOSE_HEADERS = ("ETag", "Link", "X-Total-Count")

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Served over HTTPS (behind a TLS proxy that sets X-Forwarded-Proto): cookies only over
# HTTPS, plain HTTP redirected, and browsers told by HSTS to use nothing else.
SECURE = _env_bool("MICROCRED_SECURE", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_HSTS_SECONDS = int(os.environ.get("MICROCRED_HSTS_SECONDS", 31536000)) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("MICROCRED_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _env_bool("MICROCRED_HSTS_PRELOAD", False)

# Every HTML page: scripts and styles only from the site's static files, no inline
# script or handler, no framing. Responses that are not HTML (badge images, SVG
# credentials, evidence, JSON) get USER_CONTENT_POLICY instead (microcred.site.security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "upgrade-insecure-requests": SECURE,
    }
}

# Sign-in throttling (django-axes): after MICROCRED_LOGIN_FAILURE_LIMIT failed sign-ins for one
# account, or from one address, further attempts are refused until the lock-out ends.
AXES_FAILURE_LIMIT = int(os.environ.get("MICROCRED_LOGIN_FAILURE_LIMIT", 10))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("MICROCRED_LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "microcred.core.clients.client_address"
AXES_LOCKOUT_CALLABLE = "microcred.accounts.views.locked_out"
AXES_VERBOSE = False
# allauth's sign-in form names its field "login" (a username or an email address) and passes
# it on as "username" or "email"; the lock-out counts by what was typed.
AXES_USERNAME_CALLABLE = "microcred.accounts.adapter.login_typed"

# Accounts (django-allauth): anyone signs up with an email address and a password and must
# verify the address before signing in; the username is made from the address.
ACCOUNT_ADAPTER = "microcred.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
# The link in the email opens a page whose button confirms, so a mail scanner that follows
# links confirms nothing; the person then signs in.
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[microcred] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SECURE else "http"
# Sign-ins are counted by django-axes (above), which locks out; allauth's own limits on them
# would answer first with another message.
ACCOUNT_RATE_LIMITS = {"login": None, "login_failed": None}
# Confirming who you are before a sensitive change asks for the password: sign-in codes and
# authenticator apps are not offered here (allauth would link to their pages).
ACCOUNT_REAUTHENTICATION_METHODS = ["password"]

# Sign-in with an institution's OpenID Connect provider (a university's single sign-on), shown
# on the sign-in page when MICROCRED_OIDC_SERVER_URL is set. Register the platform's callback
# <MICROCRED_PUBLIC_URL>/account/oidc/institution/login/callback/ with the provider.
OIDC_PROVIDER_ID = "institution"
OIDC_SERVER_URL = os.environ.get("MICROCRED_OIDC_SERVER_URL", "")
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": OIDC_PROVIDER_ID,
                "name": os.environ.get("MICROCRED_OIDC_NAME", "your institution"),
                "client_id": os.environ.get("MICROCRED_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("MICROCRED_OIDC_SECRET", ""),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ]
        if OIDC_SERVER_URL
        else [],
    }
}
# The provider's verified address signs in the account that has verified it already, or
# makes a new account with it.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_STORE_TOKENS = False

# OAuth 2.0 of the Open Badges 3.0 API (django-oauth-toolkit): authorization code with PKCE,
# S256 only; a client may ask only for the scopes it registered (microcred.obapi.oauth);
# refresh tokens rotate, and a refresh token used twice revokes its family.
OAUTH2_PROVIDER = {
    "SCOPES_BACKEND_CLASS": "microcred.obapi.oauth.RegisteredScopes",
    "PKCE_REQUIRED": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    # RFC 9207: the authorization response names this server (iss), against mix-up attacks.
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "OIDC_ISS_ENDPOINT": PUBLIC_URL,
    # http only for native clients on the loopback interface (RFC 8252 section 7.3):
    # registration (obapi.services.register_client) refuses any other http redirect URI.
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https", "http"],
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 60,
    "ACCESS_TOKEN_EXPIRE_SECONDS": int(os.environ.get("MICROCRED_OAUTH_ACCESS_SECONDS", 3600)),
    "REFRESH_TOKEN_EXPIRE_SECONDS": 180 * 24 * 3600,
    "ROTATE_REFRESH_TOKEN": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "REQUEST_APPROVAL_PROMPT": "force",
}
# The toolkit's deployment check warns of http redirect URIs; registration allows them only on
# the loopback interface, as above.
SILENCED_SYSTEM_CHECKS = ["oauth2_provider.W008"]
# Named because obapi's client registrations point at the (swappable) application model.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MICROCRED_LOG_LEVEL", "INFO")},
}
