"""Production settings refuse to start half-configured, and pass Django's deploy checks."""

from __future__ import annotations

import base64
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def production_env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LOTSE_") and k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="lotse.settings.production",
        LOTSE_SECRET_KEY=secrets.token_urlsafe(50),
        LOTSE_FIELD_ENCRYPTION_KEYS=base64.urlsafe_b64encode(os.urandom(32)).decode(),
        LOTSE_AUDIT_KEY=secrets.token_urlsafe(32),
        LOTSE_LOOKUP_KEY=secrets.token_urlsafe(32),
        LOTSE_ALLOWED_HOSTS="lotse.kreis-beispiel.de",
        LOTSE_DATABASE_URL="postgres://lotse@db.internal:5432/lotse",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v != ""}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize(
    "missing",
    [
        "LOTSE_SECRET_KEY",
        "LOTSE_FIELD_ENCRYPTION_KEYS",
        "LOTSE_AUDIT_KEY",
        "LOTSE_LOOKUP_KEY",
        "LOTSE_ALLOWED_HOSTS",
        "LOTSE_DATABASE_URL",
    ],
)
def test_production_refuses_to_start_without(missing):
    result = manage("check", env=production_env(**{missing: ""}))
    assert result.returncode != 0
    assert "will not start without" in result.stderr
    assert missing in result.stderr


def test_production_refuses_demo_mode_and_debug():
    assert "LOTSE_DEMO_MODE" in manage("check", env=production_env(LOTSE_DEMO_MODE="1")).stderr
    assert "LOTSE_DEBUG" in manage("check", env=production_env(LOTSE_DEBUG="1")).stderr


def test_production_refuses_a_short_key():
    result = manage("check", env=production_env(LOTSE_FIELD_ENCRYPTION_KEYS="c2hvcnQ="))
    assert result.returncode != 0 and "32 bytes" in result.stderr


def test_every_environment_variable_is_documented():
    used = set()
    for path in (ROOT / "lotse").rglob("*.py"):
        used |= set(re.findall(r"\"(LOTSE_[A-Z0-9_]+)\"", path.read_text()))
    documented = (ROOT / "docs" / "configuration.md").read_text()
    missing = sorted(name for name in used if name not in documented)
    assert not missing, f"Document these in docs/configuration.md: {missing}"


def test_production_refuses_sqlite():
    result = manage("check", env=production_env(LOTSE_DATABASE_URL="sqlite:////tmp/lotse.sqlite3"))
    assert result.returncode != 0 and "PostgreSQL" in result.stderr


def test_production_refuses_a_proxy_without_trusted_hop_count():
    result = manage("check", env=production_env(LOTSE_BEHIND_TLS_PROXY="1"))
    assert result.returncode != 0 and "LOTSE_TRUSTED_PROXY_COUNT" in result.stderr
    ok = manage("check", env=production_env(LOTSE_BEHIND_TLS_PROXY="1", LOTSE_TRUSTED_PROXY_COUNT="1"))
    assert ok.returncode == 0, ok.stderr


def test_production_cookies_are_host_bound():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.LANGUAGE_COOKIE_NAME, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=production_env(), capture_output=True, text=True, timeout=60
    )
    assert result.stdout.split() == [
        "__Host-lotse_session",
        "__Host-lotse_csrf",
        "__Host-lotse_language",
        "True",
        "True",
    ]
