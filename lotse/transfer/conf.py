"""Settings of import and export (``LOTSE_IMPORT_MAX_MB``, ``LOTSE_IMPORT_UPLOAD_MINUTES`` in
``lotse/settings/base.py``), read at call time so tests can override them."""

from __future__ import annotations

from django.conf import settings


def import_max_bytes() -> int:
    """Largest case list accepted for import (default 50 MB)."""
    return int(settings.IMPORT_MAX_BYTES)


def upload_minutes() -> int:
    """How long an uploaded list waits for the real run (default 60 minutes)."""
    return int(settings.IMPORT_UPLOAD_MINUTES)
