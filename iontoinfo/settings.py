"""Settings for iontoinfo, read from the environment (see the README's table).

The defaults fail closed: DEBUG is off, there is no secret key, no host is
allowed and HTTPS is enforced until the environment says otherwise.
"""

from __future__ import annotations

import base64
import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_list(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def env_origin(name: str) -> str:
    """An origin such as https://iontoinfo.example (no path, no trailing slash), or ""."""
    value = os.environ.get(name, "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    try:
        # Raises on a port that is not a number.
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        port_ok = False
    if not (
        port_ok
        and parts.scheme in {"http", "https"}
        and parts.hostname
        and parts.path in {"", "/"}
        and not (parts.query or parts.fragment or parts.username or parts.password)
    ):
        raise ImproperlyConfigured(
            f"{name} must be the site's origin, such as https://iontoinfo.example, not {value!r}"
        )
    return f"{parts.scheme}://{parts.netloc}"


DEBUG = env_bool("DJANGO_DEBUG", default=False)
# Production security (HTTPS redirect, HSTS, secure cookies) is on unless a
# local run over plain HTTP switches it off.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-key-for-local-development-only-" + "x" * 20

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or (
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)

INSTALLED_APPS = [
    "iontoinfo.apps.IontoinfoConfig",
    "screener",
    "professionals",
    "clinics",
    "submissions",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content pages from the cache, whole and already compressed: before
    # everything below, which a cached page needs no more.
    "iontoinfo.pagecache.PageCacheMiddleware",
    # Many threads wait for slow clients; only a few do the work at once.
    "iontoinfo.resilience.ConcurrencyLimitMiddleware",
    # A database that hangs: this request's queries end at the deadline.
    "iontoinfo.resilience.DatabaseDeadlineMiddleware",
    "iontoinfo.middleware.CompressionMiddleware",
    "iontoinfo.middleware.PermissionsPolicyMiddleware",
    "iontoinfo.middleware.CSPMiddleware",
    "iontoinfo.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Both are lazy: request.user reads the session only when a view asks,
    # so content pages still set no cookie.
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A view that fails because the database is down: the styled 503 page.
    "iontoinfo.resilience.DatabaseUnavailableMiddleware",
    # Last: turns a sign-in refused for too many failures into our lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "iontoinfo.urls"
WSGI_APPLICATION = "iontoinfo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # No auth or messages processors: they touch the session, which
            # would give every content page a cookie and Vary: Cookie.
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "iontoinfo.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A database that is down or hangs must cost seconds, not a worker: PostgreSQL
# gives up connecting after DATABASE_CONNECT_TIMEOUT and stops a statement
# after DATABASE_STATEMENT_TIMEOUT; a server that no longer answers at all
# (stopped, or packets dropped) is cut off after DATABASE_REQUEST_DEADLINE
# seconds of a request (iontoinfo.resilience), /readyz after READYZ_DEADLINE.
DATABASE_CONNECT_TIMEOUT = int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "2"))
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "3"))
DATABASE_REQUEST_DEADLINE = float(os.environ.get("DATABASE_REQUEST_DEADLINE", "4"))
READYZ_DEADLINE = 2.0
# Requests of one process doing Django's work at once (0: no limit), and how
# long one waits for its turn before a 503 (iontoinfo.resilience).
# SQLite has one writer at a time: one request at a time per process does
# best there (measured with `make bench`); PostgreSQL overlaps two.
APP_CONCURRENCY = int(
    os.environ.get(
        "APP_CONCURRENCY",
        "1" if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else "2",
    )
)
APP_QUEUE_SECONDS = float(os.environ.get("APP_QUEUE_SECONDS", "10"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite for a single machine: many threads write at once (sessions,
    # ratings). Write-ahead logging lets reads go on during a write, and
    # IMMEDIATE transactions queue writers (up to `timeout` seconds) instead
    # of failing one of two that started reading at once.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "connect_timeout": DATABASE_CONNECT_TIMEOUT,
            "options": f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT * 1000}",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, where Redis down is a miss, not an error
            # (iontoinfo.resilience): pages render uncached, sessions come
            # from the database.
            "BACKEND": "iontoinfo.resilience.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iontoinfo",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    SESSION_ENGINE = "iontoinfo.sessions.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "iontoinfo.sessions.db"

# Screener answers live in the session. WCAG 2.2.1 asks for at least 20 hours
# of inactivity before they expire; every screener request renews the 24 hours
# (screener.views.screener_page), and no other page touches the session.
SESSION_COOKIE_AGE = 24 * 60 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script here reads it
SESSION_COOKIE_SAMESITE = "Lax"

# Every language has the same pages at the same slugs (/en/is-it-safe/,
# /it/is-it-safe/). The first is the default and the FHIR resources' own;
# the wording is in locale/<code>/LC_MESSAGES/django.po, compiled by `make`.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Short dates for tables in each language's own form (iontoinfo/formats/).
FORMAT_MODULE_PATH = ["iontoinfo.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The education pages' Markdown files (overridable to preview or test a copy).
CONTENT_DIR = Path(os.environ.get("IONTOINFO_CONTENT_DIR", BASE_DIR / "iontoinfo" / "content"))
# Content pages: how long browsers and the server keep a rendered page.
CONTENT_MAX_AGE = int(os.environ.get("CONTENT_MAX_AGE", "3600"))

# The site's public address, such as "https://iontoinfo.example", in addresses
# that leave the screen or that other systems keep: the QR codes on paper and
# the FHIR Questionnaire's canonical URL. Unset: the scheme and host of the
# request being answered.
IONTOINFO_CANONICAL_URL = env_origin("IONTOINFO_CANONICAL_URL")
# Where clinicians and readers report a problem with a rule or a page: no
# account needed. Empty: webmaster@ the site's host name (RFC 2142).
IONTOINFO_CONTACT_EMAIL = os.environ.get("IONTOINFO_CONTACT_EMAIL", "").strip()
if IONTOINFO_CONTACT_EMAIL and not re.fullmatch(
    r"[^@\s]+@[^@\s]+\.[^@\s]+", IONTOINFO_CONTACT_EMAIL
):
    raise ImproperlyConfigured(
        f"IONTOINFO_CONTACT_EMAIL must be an email address, not {IONTOINFO_CONTACT_EMAIL!r}"
    )

# --- Clinic accounts -----------------------------------------------------------
# Clinicians sign in with a password and a second factor (clinics.views). There
# is no sign-up and no Django admin: the site is run with management commands.
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in while the account is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "clinics:sign_in"
# A signed-in clinician's session ends after this many seconds without use;
# patients' screener sessions keep SESSION_COOKIE_AGE.
CLINIC_SESSION_IDLE = 30 * 60
# A one-time invitation link is valid for this many hours.
CLINIC_INVITATION_HOURS = 72

# Lockout (django-axes): this many failed sign-ins (password or code) lock the
# account for CLINIC_LOCKOUT_MINUTES; the database keeps the count, so every
# server process sees it.
AXES_FAILURE_LIMIT = int(os.environ.get("CLINIC_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("CLINIC_LOCKOUT_MINUTES", "15")))
# The account is locked, whoever tries: clinicians of one hospital often share
# one public address, and locking by address would let one person's typing
# lock out their colleagues. So axes' advice to add the address is silenced.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no record of who signed in when, only of failures
AXES_LOCKOUT_CALLABLE = "clinics.views.locked_out"
AXES_VERBOSE = False
# A failed try is recorded with its form, minus these (the password always).
AXES_SENSITIVE_PARAMETERS = ["password", "code", "csrfmiddlewaretoken"]

OTP_TOTP_ISSUER = "iontoinfo"

# Email: invitations are sent only when EMAIL_HOST is set; otherwise the
# command prints the link for the person running the site to pass on.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_CONFIGURED = bool(EMAIL_HOST)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_CONFIGURED
    else "django.core.mail.backends.dummy.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "iontoinfo <noreply@localhost>")

# --- Answers sent to a clinic (submissions) --------------------------------------
# Keys that encrypt the answers and the person's details before they reach the
# database: Fernet keys (32 random bytes, URL-safe base64), comma-separated.
# The first encrypts; every one decrypts, so a new key goes first and an old
# one stays at the end until `manage.py rotatesubmissionkeys` has re-encrypted
# what it locked (or its submissions are deleted). Without a key, the site
# refuses to start unless DEBUG is on (then a fixed development key is used).
SUBMISSIONS_KEYS = env_list("SUBMISSIONS_KEYS")
for _key in SUBMISSIONS_KEYS:
    try:
        _key_ok = len(base64.urlsafe_b64decode(_key.encode("ascii"))) == 32
    except (ValueError, UnicodeEncodeError):
        _key_ok = False
    if not _key_ok:
        raise ImproperlyConfigured(
            "SUBMISSIONS_KEYS must be Fernet keys (32 bytes in URL-safe base64), "
            "comma-separated; one of them is not"
        )
if not SUBMISSIONS_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("SUBMISSIONS_KEYS must be set when DEBUG is off")
    SUBMISSIONS_KEYS = [base64.urlsafe_b64encode(b"development-key-not-for-real-use").decode()]
# Days a submission is kept after it was sent; then it is deleted for real.
CLINIC_RETENTION_DAYS = int(os.environ.get("CLINIC_RETENTION_DAYS", "30"))
if not 1 <= CLINIC_RETENTION_DAYS <= 365:
    raise ImproperlyConfigured("CLINIC_RETENTION_DAYS must be a number of days from 1 to 365")
# Days an entry of the submissions' audit log is kept.
SUBMISSIONS_AUDIT_DAYS = 365
# Tries at the withdrawal page and the clinic-code page, per address per hour.
SUBMISSIONS_TRIES_PER_HOUR = int(os.environ.get("SUBMISSIONS_TRIES_PER_HOUR", "10"))

# Forms here are a few radio buttons: anything bigger is refused with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
DATA_UPLOAD_MAX_NUMBER_FIELDS = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 20_000

CSRF_FAILURE_VIEW = "iontoinfo.views.csrf_failure"

# Rate limits (django-ratelimit), counted in the shared cache so that every
# server sees the same counts: generous for people, not for scripts. A cache
# that cannot count (Redis down) lets people through.
RATELIMIT_USE_CACHE = "default"
RATELIMIT_FAIL_OPEN = True
RATE_LIMIT_RATINGS = os.environ.get("RATE_LIMIT_RATINGS", "20/m")
RATE_LIMIT_ANSWERS = os.environ.get("RATE_LIMIT_ANSWERS", "60/m")

# --- Security headers -------------------------------------------------------
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# Over HTTPS the "__Host-" prefix binds the cookies to this host: browsers
# accept them only Secure, for path "/" and without a Domain, so a subdomain
# or a plain-HTTP response cannot plant a session (or CSRF) cookie. Browsers
# refuse such cookies over plain HTTP, hence plain names there.
_COOKIE_PREFIX = "__Host-" if HTTPS else ""
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}csrftoken"
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# /healthz and /readyz are probed over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", default=False)
if BEHIND_PROXY:
    # Only trust this header when a proxy we run sets it and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False

# --- Logging ------------------------------------------------------------------
# Requests are not logged by Django here; gunicorn's access log is off in
# `make run`. Errors go to stderr without request bodies.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
