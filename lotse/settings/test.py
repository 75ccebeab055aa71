"""Settings for the test suite: SQLite in memory unless ``DATABASE_URL`` names PostgreSQL,
fixed throw-away keys and a cheap Argon2 variant so that tests stay fast."""

from __future__ import annotations

from lotse.settings.base import *  # noqa: F403
from lotse.settings.base import DATABASES, database_config

SECRET_KEY = "test-secret-key-not-for-production-0123456789abcdefghijklmnop"
FIELD_ENCRYPTION_KEYS = ["MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="]
AUDIT_KEY = "test-audit-key-0123456789abcdefghijkl"
LOOKUP_KEY = "test-lookup-key-0123456789abcdefghijk"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_MODE = False
TOTP_REQUIRED = True
if not DATABASES:
    DATABASES = {"default": database_config("sqlite:///:memory:")}
    DATABASES["default"]["OPTIONS"].pop("init_command")
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
PASSWORD_HASHERS = ["lotse.accounts.hashers.FastArgon2PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOG_FORMAT = "json"
LOGGING["loggers"]["lotse.request"] = {"level": "WARNING"}  # type: ignore[index]  # noqa: F405
# Uploaded documents of the test run go to a throw-away directory.
DOCUMENT_ROOT = __import__("pathlib").Path(__import__("tempfile").mkdtemp(prefix="lotse-test-documents-"))
# The permission table posts the public feedback form once per role; the limit has its own test.
FEEDBACK_MAX_PER_HOUR = 1000
