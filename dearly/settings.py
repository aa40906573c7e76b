"""One settings module, driven by environment variables only.

DEARLY_DATA_DIR       where the embedded default keeps its SQLite database and secret key (./var)
DEARLY_DATABASE_URL   sqlite:///path or postgres://user:pass@host/db (default: SQLite in data dir)
DEARLY_SECRET_KEY     signing key; generated once and kept in the data dir when absent
DEARLY_BASE_URL       public address used in links (default http://127.0.0.1:8000)
DEARLY_DEBUG          1 to show Django's debug pages
DEARLY_DEFAULT_COUNTRY  region used to read national phone numbers (default GB)
DEARLY_TIME_ZONE      the business's time zone (default Europe/London)
DEARLY_LOGIN_FAILURE_LIMIT     wrong passwords before an account or an address is locked (10)
DEARLY_LOGIN_COOLOFF_MINUTES   how long such a lock lasts (15)
DEARLY_PROXY_COUNT    reverse proxies in front, whose X-Forwarded-For names the client (0)
DEARLY_TRUSTED_PROXY  the proxy whose X-Forwarded-Proto/-For are believed (127.0.0.1 with https)
DEARLY_SSL_REDIRECT, DEARLY_HSTS_SECONDS, DEARLY_HSTS_INCLUDE_SUBDOMAINS, DEARLY_HSTS_PRELOAD
                      TLS behaviour with an https base URL (see the README's Configuration)
"""

import datetime as dt
import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP


def _flag(name: str, default: str = "0") -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("DEARLY_DATA_DIR", "var")).resolve()
TESTING = "pytest" in sys.modules


def _secret_key() -> str:
    if key := os.environ.get("DEARLY_SECRET_KEY"):
        return key
    if TESTING:
        return "dearly-tests-only-not-a-secret"
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
DEBUG = _flag("DEARLY_DEBUG")
BASE_URL = os.environ.get("DEARLY_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_COUNTRY = os.environ.get("DEARLY_DEFAULT_COUNTRY", "GB").upper()

_base_host = urlsplit(BASE_URL).hostname or "127.0.0.1"
ALLOWED_HOSTS = sorted({_base_host, "127.0.0.1", "localhost", "[::1]", "testserver"})
CSRF_TRUSTED_ORIGINS = [BASE_URL]
# Behind TLS (an https base URL, with a proxy that says so in X-Forwarded-Proto): secure cookies,
# plain http redirected to https, and HSTS. On plain http none of this applies, so a local install
# is never told to insist on a certificate it does not have.
HTTPS = BASE_URL.startswith("https://")
if HTTPS:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = _flag("DEARLY_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = int(os.environ.get("DEARLY_HSTS_SECONDS", str(365 * 24 * 3600)))
    # Both reach beyond this app (every subdomain; browsers' built-in lists), so they are the
    # owner's choice, not a default; `check --deploy` need not warn about a deliberate choice.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("DEARLY_HSTS_INCLUDE_SUBDOMAINS")
    SECURE_HSTS_PRELOAD = _flag("DEARLY_HSTS_PRELOAD")
    # A monitor may ask the web server itself, over plain http, whether it is up.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
# The reverse proxy in front of `dearly web`, as the web server sees it: only its
# X-Forwarded-Proto and X-Forwarded-For are believed (anyone else's are dropped).
TRUSTED_PROXY = os.environ.get("DEARLY_TRUSTED_PROXY", "127.0.0.1" if HTTPS else "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "anymail",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "dearly.core",
    "dearly.branches",
    "dearly.contacts",
    "dearly.imports",
    "dearly.audiences",
    "dearly.messaging",
    "dearly.delivery",
    "dearly.campaigns",
    "dearly.mailbox",
    "dearly.tracking",
    "dearly.touches",
    "dearly.journeys",
    "dearly.rhythms",
    "dearly.conversions",
    "dearly.plans",
    "dearly.preferences",
    "dearly.signup",
    "dearly.hooks",
    "dearly.web",
    "dearly.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "dearly.core.middleware.refuse_unreadable_query",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "dearly.urls"
WSGI_APPLICATION = "dearly.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "dearly.web.context.member",
            ],
        },
    },
]


def _database() -> dict[str, Any]:
    url = os.environ.get("DEARLY_DATABASE_URL") or f"sqlite:///{DATA_DIR / 'dearly.sqlite3'}"
    conn_max_age = 0 if url.startswith("sqlite") else 60
    db: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        if not TESTING:
            Path(db["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        # Tests use a file, not memory: background imports and the browser tests' live server
        # then share the database the way production does (WAL), without shared-cache locks.
        test_file = Path(tempfile.gettempdir()) / f"dearly-test-{os.getpid()}.sqlite3"
        db["TEST"] = {"NAME": str(test_file)}
        # WAL lets readers carry on while one writer commits; IMMEDIATE takes the write lock
        # when a transaction starts, so two writers queue instead of failing mid-transaction.
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000; "
                "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=268435456; "
                "PRAGMA cache_size=-65536;"
            ),
        }
    else:
        db.setdefault("OPTIONS", {})
        db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses a sign-in while the account or the address is locked, before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling (django-axes): after this many wrong passwords for one username, or from one
# address, that username or address is refused until the cool-off has passed. A right password
# clears the count. Each lock is written to the audit log and shown to owners on the dashboard.
AXES_FAILURE_LIMIT = int(os.environ.get("DEARLY_LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DEARLY_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dearly.core.signin.locked_out"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "dearly.core.signin.client_ip"
# Behind reverse proxies every request comes from the nearest one: say how many there are, and
# the client's address is read from X-Forwarded-For, as many hops back (0: no proxy).
PROXY_COUNT = int(os.environ.get("DEARLY_PROXY_COUNT", "0"))
OTP_TOTP_ISSUER = "Dearly"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
# What a member may pick on their profile. The interface is written in English; the choice
# is the page's language tag and Django's own formats (dates, numbers) for that variety.
LANGUAGES = [
    ("en-gb", "English (United Kingdom)"),
    ("en-ie", "English (Ireland)"),
    ("en-au", "English (Australia)"),
    ("en-ca", "English (Canada)"),
    ("en", "English (United States)"),
]
TIME_ZONE = os.environ.get("DEARLY_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served from the package by WhiteNoise; set a root only to collect them.
STATIC_ROOT = os.environ.get("DEARLY_STATIC_ROOT") or None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG or TESTING

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = int(os.environ.get("DEARLY_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("DEARLY_IMPORT_MAX_ROWS", "2000000"))
# HubSpot's "all properties" export runs to a few hundred columns; thousands are not a
# contact list, and each column is a row of the mapping page.
IMPORT_MAX_COLUMNS = int(os.environ.get("DEARLY_IMPORT_MAX_COLUMNS", "500"))
UPLOAD_DIR = DATA_DIR / "uploads"

# Outgoing email: smtp://user:pass@host:587 (STARTTLS), smtps://…:465 (TLS), or
# anymail://<esp>?api_key=… for a provider through django-anymail. The demo points it at the
# built-in mail catcher (DEARLY_MAIL_CATCHER=1), whose Mailbox page shows what was sent.
EMAIL_URL = os.environ.get("DEARLY_EMAIL_URL", "")
FROM_EMAIL = os.environ.get("DEARLY_FROM_EMAIL", "hello@localhost")
MAIL_CATCHER = _flag("DEARLY_MAIL_CATCHER")
MAIL_CATCHER_PORT = int(os.environ.get("DEARLY_MAIL_CATCHER_PORT", "1025"))
# Marketing waits for its send window in the recipient's local time (informational: Friday and
# Sunday; promotional: Tuesday to Thursday). The demo turns this off so a campaign launched on
# any day arrives in the Mailbox at once; real installations keep it on.
SEND_WINDOWS = not _flag("DEARLY_SEND_WINDOWS_OFF")

# Provider webhooks (django-anymail): https://user:pass@<host>/webhooks/anymail/<esp>/tracking/.
# DEARLY_WEBHOOK_SECRET is that "user:pass"; providers that also sign their webhooks need their
# key (DEARLY_MAILGUN_WEBHOOK_SIGNING_KEY, …). With no secret set the webhooks refuse every
# request (a random secret nobody knows) instead of trusting anyone on the web.
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("DEARLY_WEBHOOK_SECRET") or secrets.token_urlsafe(32),
    **{
        name: os.environ[f"DEARLY_{name}"]
        for name in (
            "MAILGUN_WEBHOOK_SIGNING_KEY",
            "MAILERSEND_SIGNING_SECRET",
            "POSTAL_WEBHOOK_KEY",
            "RESEND_SIGNING_SECRET",
        )
        if os.environ.get(f"DEARLY_{name}")
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Every page: scripts, styles, fonts and frames only from here; no inline script or style (htmx
# is told not to eval or add styles, see base.html); images also as data: URIs (Pico's icons).
# Pages that show email HTML (the template editor, the Mailbox) loosen style and img only.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DEARLY_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "mail.log": {"level": "WARNING"},  # aiosmtpd (the mail catcher) chats at INFO
        # django-axes logs every wrong password; Dearly logs each lockout as login.locked_out.
        "axes": {"level": "ERROR"},
    },
}
