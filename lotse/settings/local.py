"""Settings for a developer machine and for ``make demo``: SQLite in ``var/`` and keys kept in
``var/local-keys.json`` (generated on first start) unless the environment provides them.
Never use these settings for real data."""

from __future__ import annotations

import base64
import json
import os
import secrets

from lotse.settings.base import *  # noqa: F403
from lotse.settings.base import DATA_DIR, DATABASES, database_config
from lotse.settings.env import env_list


def _local_keys() -> dict[str, str]:
    path = DATA_DIR / "local-keys.json"
    if path.exists():
        keys = json.loads(path.read_text())
        if "lookup_key" not in keys:  # key files written before the lookup key existed
            keys["lookup_key"] = secrets.token_urlsafe(32)
            path.write_text(json.dumps(keys))
        return keys
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    keys = {
        "secret_key": secrets.token_urlsafe(50),
        "field_key": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "audit_key": secrets.token_urlsafe(32),
        "lookup_key": secrets.token_urlsafe(32),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(keys, handle)
    return keys


_keys = _local_keys()
SECRET_KEY = os.environ.get("LOTSE_SECRET_KEY") or _keys["secret_key"]
FIELD_ENCRYPTION_KEYS = env_list("LOTSE_FIELD_ENCRYPTION_KEYS") or [_keys["field_key"]]
AUDIT_KEY = os.environ.get("LOTSE_AUDIT_KEY") or _keys["audit_key"]
LOOKUP_KEY = os.environ.get("LOTSE_LOOKUP_KEY") or _keys["lookup_key"]
ALLOWED_HOSTS = env_list("LOTSE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
if not DATABASES:
    DATABASES = {"default": database_config(f"sqlite:///{DATA_DIR / 'lotse.sqlite3'}")}
