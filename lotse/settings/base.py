"""Settings shared by every environment. Values come from ``LOTSE_*`` environment variables
(see ``docs/configuration.md``); environment modules (``local``, ``production``, ``test``)
decide what is required and what the fallbacks are."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF

from lotse.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("LOTSE_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("LOTSE_DEBUG", False)
DEMO_MODE = env_bool("LOTSE_DEMO_MODE", False)

SECRET_KEY = env_str("LOTSE_SECRET_KEY")
ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("LOTSE_CSRF_TRUSTED_ORIGINS")

# --- Keys for data at rest ---------------------------------------------------------------
# Comma-separated urlsafe-base64 AES-256 keys; the first encrypts, all decrypt (rotation).
FIELD_ENCRYPTION_KEYS = env_list("LOTSE_FIELD_ENCRYPTION_KEYS")
# HMAC key of the audit hash chain. Must stay stable for the lifetime of the audit log.
AUDIT_KEY = env_str("LOTSE_AUDIT_KEY")
# Keyed hash (HMAC) for the search before create on normalised name + birth date. Unlike the
# field-encryption keys it is not rotated: changing it makes earlier clients unfindable.
LOOKUP_KEY = env_str("LOTSE_LOOKUP_KEY")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "lotse.core",
    "lotse.tenants",
    "lotse.accounts",
    "lotse.access",
    "lotse.audit",
    "lotse.network",
    "lotse.cases",
    "lotse.consent",
    "lotse.steering",
    "lotse.committees",
    "lotse.supervision",
    "lotse.feedback",
    "lotse.funding",
    "lotse.reports",
    "lotse.privacy",
    "lotse.transfer",
    "lotse.api",
    "lotse.ui",
    "lotse.demo",
]

MIDDLEWARE = [
    "lotse.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "lotse.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lotse.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lotse.accounts.middleware.SessionLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lotse.access.middleware.AccessMiddleware",
]

ROOT_URLCONF = "lotse.urls"
WSGI_APPLICATION = "lotse.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lotse.ui.context_processors.shell",
            ],
        },
    }
]
FORM_RENDERER = "lotse.ui.forms.KernFormRenderer"


def database_config(url: str) -> dict[str, Any]:
    """Parse a database URL; SQLite gets WAL, a busy timeout and IMMEDIATE transactions so
    that concurrent writers queue instead of failing, PostgreSQL gets persistent connections."""
    config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0 if url.startswith("sqlite") else 60))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    config["ATOMIC_REQUESTS"] = False
    return config


DATABASE_URL = env_str("LOTSE_DATABASE_URL") or env_str("DATABASE_URL")
DATABASES = {"default": database_config(DATABASE_URL)} if DATABASE_URL else {}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "ui:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
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
# Second factor: required for every account unless the installation runs in demo mode.
TOTP_REQUIRED = not DEMO_MODE
TOTP_ISSUER = env_str("LOTSE_TOTP_ISSUER", "Lotse")
LOCKOUT_FAILURES = env_int("LOTSE_LOCKOUT_FAILURES", 5, minimum=1)
LOCKOUT_ADDRESS_FAILURES = env_int("LOTSE_LOCKOUT_ADDRESS_FAILURES", 5, minimum=1)
LOCKOUT_MINUTES = env_int("LOTSE_LOCKOUT_MINUTES", 15, minimum=1)
# Number of reverse proxies whose X-Forwarded-For entry is trusted for the client address.
TRUSTED_PROXY_COUNT = env_int("LOTSE_TRUSTED_PROXY_COUNT", 0, minimum=0)

# --- Sessions -----------------------------------------------------------------------------
SESSION_IDLE_SECONDS = env_int("LOTSE_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_MAX_SECONDS = env_int("LOTSE_SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "lotse_session"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "lotse_csrf"
CSRF_FAILURE_VIEW = "lotse.ui.views.csrf_failure"
LANGUAGE_COOKIE_NAME = "lotse_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("LOTSE_STATIC_ROOT", str(DATA_DIR / "static")))
# Case documents: encrypted files outside the web root, never served by the web server.
DOCUMENT_ROOT = Path(env_str("LOTSE_DOCUMENT_ROOT", str(DATA_DIR / "documents")))
DOCUMENT_MAX_BYTES = env_int("LOTSE_DOCUMENT_MAX_MB", 10) * 1024 * 1024
# Client feedback: how long a printed sheet's one-time link works, and how many submissions
# one client address may make per hour.
FEEDBACK_TOKEN_DAYS = env_int("LOTSE_FEEDBACK_TOKEN_DAYS", 90)
FEEDBACK_MAX_PER_HOUR = env_int("LOTSE_FEEDBACK_MAX_PER_HOUR", 10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Uploads up to the document limit stay in memory, so no plain-text copy reaches a temp file;
# larger ones are refused by the size check (and should be by the proxy's body limit first).
FILE_UPLOAD_MAX_MEMORY_SIZE = DOCUMENT_MAX_BYTES + 65_536
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Web hygiene (BSI APP.3.1.A21) ----------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        # KERN-UX ships its icons as SVG data URIs inside the stylesheet.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# --- Logging: one JSON object per line, never personal data ------------------------------------
LOG_LEVEL = env_str("LOTSE_LOG_LEVEL", "INFO").upper()
LOG_FORMAT = env_str("LOTSE_LOG_FORMAT", "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "lotse.core.logging.JsonFormatter"},
        "text": {"()": "lotse.core.logging.TextFormatter", "format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"scrub": {"()": "lotse.core.logging.ScrubFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
            "filters": ["scrub"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # runserver's access lines carry query strings; lotse.request logs each request instead.
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        # PDF rendering reports every font subset at INFO; only problems are of interest.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

# --- REST API (lotse.api) ----------------------------------------------------------------------
# Token lifetime in days: the default offered when a token is created, and the longest allowed.
API_TOKEN_DEFAULT_DAYS = env_int("LOTSE_API_TOKEN_DEFAULT_DAYS", 90, minimum=1)
API_TOKEN_MAX_DAYS = env_int("LOTSE_API_TOKEN_MAX_DAYS", 365, minimum=1)
API_PAGE_SIZE = env_int("LOTSE_API_PAGE_SIZE", 50, minimum=1)
API_MAX_PAGE_SIZE = env_int("LOTSE_API_MAX_PAGE_SIZE", 200, minimum=1)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["lotse.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["lotse.api.permissions.HasTenantAccess"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "lotse.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["lotse.api.filters.QueryFilterBackend", "lotse.api.filters.Ordering"],
    "DEFAULT_SCHEMA_CLASS": "lotse.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "lotse.api.errors.exception_handler",
    "PAGE_SIZE": API_PAGE_SIZE,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Lotse API",
    "DESCRIPTION": "Versioned REST API of Lotse (KIM case management). Token authentication: "
    "`Authorization: Bearer <token>`; a token acts in one tenant with the role of its membership.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_NAME_OVERRIDES": {
        "LifeDomainEnum": "lotse.cases.domains.LifeDomain",
        "ContactKindEnum": "lotse.cases.models.ContactKind",
        "AgencyKindEnum": "lotse.network.models.AgencyKind",
    },
}

# --- Backup (lotse.core.backup) ------------------------------------------------------------------
# Key of encrypted backup archives: base64 of 32 random bytes (`manage.py backup --generate-key`).
# A `--key-file` given to backup/restore takes precedence.
BACKUP_KEY = env_str("LOTSE_BACKUP_KEY")

# --- Import and export (lotse.transfer) ---------------------------------------------------------
# Largest case list accepted for import, and how long an uploaded list is kept (encrypted)
# between the check (dry run) and the real import.
IMPORT_MAX_BYTES = env_int("LOTSE_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024
IMPORT_UPLOAD_MINUTES = env_int("LOTSE_IMPORT_UPLOAD_MINUTES", 60, minimum=1)
