"""Backup → wipe → restore reproduces every row, on SQLite and on PostgreSQL.

SQLite runs in subprocesses on a temporary database file with the real ``manage.py`` commands,
so it runs whatever database the suite itself uses. PostgreSQL runs in-process on the test
database (committed data: ``transaction=True``) and only when the suite runs on PostgreSQL."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from conftest import build_world
from lotse.audit.verify import verify_all
from lotse.core.backup.archive import new_key
from lotse.core.backup.manifest import database_sums

ROOT = Path(settings.BASE_DIR)

SUMS = (
    "import json, django; django.setup()\n"
    "from lotse.core.backup.manifest import database_sums\n"
    "print(json.dumps(database_sums()))\n"
)
SEED = (
    "import json, django; django.setup()\n"
    "from conftest import build_world\n"
    "build_world()\n"
    "from lotse.accounts.tests.factories import UserFactory\n"
    "UserFactory(username='Zoë-ünïcode')\n"
) + SUMS.split("\n", 1)[1]

USER_TABLES = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"


def _flip_byte(source: Path, target: Path) -> None:
    data = bytearray(source.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))


class SqliteSite:
    """A Lotse installation on a SQLite file, driven through subprocesses."""

    def __init__(self, tmp: Path) -> None:
        self.db = tmp / "lotse.sqlite3"
        url = f"sqlite:///{self.db}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LOTSE_DATABASE_URL")},
            "DATABASE_URL": url,
            "LOTSE_DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "lotse.settings.test",
            "LOTSE_BACKUP_KEY": "",
        }

    def run(self, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-c", code] if code else [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120, check=False)

    def ok(self, *args: str, code: str | None = None) -> str:
        result = self.run(*args, code=code)
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout

    def sums(self) -> dict[str, Any]:
        return json.loads(self.ok(code=SUMS))

    def wipe(self) -> None:
        """Drop every table (the file stays, empty)."""
        with sqlite3.connect(self.db) as db:
            db.execute("PRAGMA foreign_keys = OFF")
            tables = [
                r[0]
                for r in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")
            ]
            for table in tables:
                db.execute(f'DROP TABLE "{table}"')
        with sqlite3.connect(self.db) as db:
            assert (
                db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
                ).fetchone()[0]
                == 0
            )


def test_sqlite_round_trip_encrypted(tmp_path: Path) -> None:
    site = SqliteSite(tmp_path)
    site.ok("migrate", "--noinput", "-v0", "--skip-checks")
    before = json.loads(site.ok(code=SEED))
    assert before["cases_case"]["rows"] == 2
    assert before["audit_auditevent"]["rows"] > 20
    assert before["cases_identity"]["rows"] == 2  # encrypted binary values
    assert before["funding_staffcostline"]["rows"] == 2  # decimals
    key_file, wrong_key = tmp_path / "backup.key", tmp_path / "wrong.key"
    key_file.write_text(new_key())
    wrong_key.write_text(new_key())
    archive = tmp_path / "lotse.bak"

    out = site.ok("backup", str(archive), "--encrypt", "--key-file", str(key_file))
    assert "encrypted with key" in out
    assert b"SQLite format 3" not in archive.read_bytes()

    # a wrong key, a flipped byte and a missing confirmation change nothing
    refused = site.run("restore", str(archive), "--key-file", str(wrong_key), "--yes")
    assert refused.returncode != 0
    assert "Wrong key" in refused.stderr and "not changed" in refused.stderr
    damaged = tmp_path / "damaged.bak"
    _flip_byte(archive, damaged)
    refused = site.run("restore", str(damaged), "--key-file", str(key_file), "--yes")
    assert refused.returncode != 0
    assert "altered or damaged" in refused.stderr and "not changed" in refused.stderr
    refused = site.run("restore", str(archive), "--key-file", str(key_file))
    assert refused.returncode != 0 and "--yes" in refused.stderr
    assert site.sums() == before

    site.wipe()
    mismatch = site.run("restore", str(archive), "--key-file", str(key_file), "--verify-only")
    assert mismatch.returncode != 0
    assert "DIFFERENT cases_case: missing in the database" in mismatch.stderr

    out = site.ok("restore", str(archive), "--key-file", str(key_file), "--yes")
    assert "checksums equal, audit chains intact" in out
    after = site.sums()
    assert after == before  # every table: row count and checksum
    assert "intact" in site.ok("audit_verify", "--skip-checks")
    assert "live database equals it" in site.ok("restore", str(archive), "--key-file", str(key_file), "--verify-only")


def _drop_every_table() -> None:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        cursor.execute("DROP TABLE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
    assert connection.introspection.table_names() == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_round_trip_encrypted(tmp_path: Path) -> None:
    assert connection.vendor == "postgresql"
    build_world()
    before = database_sums()
    assert before["cases_case"]["rows"] == 2
    assert before["audit_auditevent"]["rows"] > 20
    key_file, wrong_key = tmp_path / "backup.key", tmp_path / "wrong.key"
    key_file.write_text(new_key())
    wrong_key.write_text(new_key())
    archive = tmp_path / "lotse.bak"
    call_command("backup", str(archive), "--encrypt", "--key-file", str(key_file))
    assert b"PGDMP" not in archive.read_bytes()

    with pytest.raises(CommandError, match=r"Wrong key.*not changed"):
        call_command("restore", str(archive), "--key-file", str(wrong_key), "--yes")
    damaged = tmp_path / "damaged.bak"
    _flip_byte(archive, damaged)
    with pytest.raises(CommandError, match=r"altered or damaged.*not changed"):
        call_command("restore", str(damaged), "--key-file", str(key_file), "--yes")
    assert database_sums() == before

    _drop_every_table()
    call_command("restore", str(archive), "--key-file", str(key_file), "--yes")
    assert database_sums() == before
    assert all(report.ok for report in verify_all())

    # the restored audit log is append-only again
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x'")
    with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL lotse.allow_audit_truncate = 'off'")
        cursor.execute("TRUNCATE audit_auditevent")
