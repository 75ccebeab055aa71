"""Production settings: refuse to start unless the secrets, keys, hosts and database are
configured, and switch on every transport-security setting (``check --deploy`` is clean)."""

from __future__ import annotations

import base64
import binascii

from django.core.exceptions import ImproperlyConfigured

from lotse.settings.base import *  # noqa: F403
from lotse.settings.base import (
    ALLOWED_HOSTS,
    AUDIT_KEY,
    DATABASES,
    DEBUG,
    DEMO_MODE,
    FIELD_ENCRYPTION_KEYS,
    LOOKUP_KEY,
    SECRET_KEY,
    TRUSTED_PROXY_COUNT,
)
from lotse.settings.env import env_bool, env_int

_missing = [
    name
    for name, value in [
        ("LOTSE_SECRET_KEY", SECRET_KEY),
        ("LOTSE_FIELD_ENCRYPTION_KEYS", FIELD_ENCRYPTION_KEYS),
        ("LOTSE_AUDIT_KEY", AUDIT_KEY),
        ("LOTSE_LOOKUP_KEY", LOOKUP_KEY),
        ("LOTSE_ALLOWED_HOSTS", ALLOWED_HOSTS),
        ("LOTSE_DATABASE_URL", DATABASES),
    ]
    if not value
]
if _missing:
    raise ImproperlyConfigured(
        "Lotse will not start without these settings: " + ", ".join(_missing) + ". See docs/configuration.md."
    )
if DEBUG:
    raise ImproperlyConfigured("LOTSE_DEBUG must be off in production.")
if DEMO_MODE:
    raise ImproperlyConfigured("LOTSE_DEMO_MODE must be off in production (it disables 2FA).")
if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "LOTSE_DATABASE_URL must name PostgreSQL in production: SQLite cannot enforce the "
        "append-only audit log and does not serve several app servers."
    )
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("LOTSE_SECRET_KEY must be at least 50 random characters.")
if len(LOOKUP_KEY) < 32:
    raise ImproperlyConfigured("LOTSE_LOOKUP_KEY must be at least 32 random characters.")
if len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured("LOTSE_AUDIT_KEY must be at least 32 random characters.")
for _key in FIELD_ENCRYPTION_KEYS:
    try:
        _raw = base64.urlsafe_b64decode(_key.encode())
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured("LOTSE_FIELD_ENCRYPTION_KEYS: a key is not base64.") from exc
    if len(_raw) != 32:
        raise ImproperlyConfigured("LOTSE_FIELD_ENCRYPTION_KEYS: every key must be 32 bytes.")

SECURE_SSL_REDIRECT = env_bool("LOTSE_SSL_REDIRECT", True)
if env_bool("LOTSE_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if TRUSTED_PROXY_COUNT == 0:
        raise ImproperlyConfigured(
            "LOTSE_BEHIND_TLS_PROXY is set but LOTSE_TRUSTED_PROXY_COUNT is 0: every client would "
            "share the proxy's address, and five wrong passwords would lock everybody out."
        )
SECURE_HSTS_SECONDS = env_int("LOTSE_HSTS_SECONDS", 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
# "__Host-" cookies are bound to this exact host (Secure, Path=/, no Domain): a sibling
# subdomain cannot plant a session or CSRF cookie.
SESSION_COOKIE_NAME = "__Host-lotse_session"
CSRF_COOKIE_NAME = "__Host-lotse_csrf"
LANGUAGE_COOKIE_NAME = "__Host-lotse_language"
