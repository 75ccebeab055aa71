"""A killed import leaves nothing behind.

``manage.py import_cases`` runs in a subprocess against a database of its own (a SQLite file,
or on PostgreSQL a separate database on the server of the test run), which the subprocess
migrates itself. After the first batch of cases has been written inside the import's
transaction, the process is killed with SIGKILL — no cleanup code can run. Afterwards the
database holds no imported case, identity, audit event or moved counter. The same import run
to its end then writes every row, so the empty result is not an artefact of the set-up."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from lotse.transfer.tests.helpers import csv_bytes

ROOT = Path(__file__).resolve().parents[3]
ROWS = 5_000  # 3 batches of 2,000

SETUP = """
from django.utils import timezone
from lotse.accounts.models import User
from lotse.tenants.models import Membership, Provider, Role, Tenant
tenant = Tenant.objects.create(name="Kreis Kill", slug="kreis-kill", kind="district")
provider = Provider.objects.create(tenant=tenant, name="Träger Kill", kind="welfare")
for name, role, prov in (("kill-co", Role.COORDINATOR, None), ("kill-cm", Role.CASE_MANAGER, provider)):
    user = User.objects.create(username=name, email=name + "@example.org")
    Membership.objects.create(user=user, tenant=tenant, role=role, provider=prov, accepted_at=timezone.now())
print("ready")
"""


@pytest.fixture
def own_database(tmp_path: Path) -> Iterator[tuple[str, Any]]:
    """(DATABASE_URL, count(sql) -> int) of a fresh database for the subprocess."""
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        name = f"{s['NAME']}_kill"[:63]
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        server = f"postgresql://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')

        def count_pg(sql: str) -> int:
            with psycopg.connect(f"{server}/{name}") as conn:
                return int(conn.execute(sql).fetchone()[0])  # type: ignore[index]

        try:
            yield f"{server}/{name}", count_pg
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "kill.sqlite3"

        def count_sqlite(sql: str) -> int:
            with sqlite3.connect(path) as conn:
                return int(conn.execute(sql).fetchone()[0])

        yield f"sqlite:///{path}", count_sqlite


def manage(env: dict[str, str], *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, **kwargs
    )


def test_killing_the_import_midway_leaves_no_imported_row(own_database, tmp_path):
    url, count = own_database
    env = {k: v for k, v in os.environ.items() if k not in ("LOTSE_DATABASE_URL", "DATABASE_URL")}
    env.update(DJANGO_SETTINGS_MODULE="lotse.settings.test", DATABASE_URL=url, LOTSE_LOG_LEVEL="WARNING")
    migrated = manage(env, "migrate", "-v0", timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    ready = manage(env, "shell", "-c", SETUP, timeout=120)
    assert "ready" in ready.stdout, ready.stderr
    rows = [
        {
            "Pseudonym": f"Fall {i}",
            "Fallverantwortung": "kill-cm",
            "Zugangsweg": "Telefon",
            "Eröffnet am": "01.02.2024",
            "Vorname": "Amina",
            "Nachname": f"Test{i}",
        }
        for i in range(ROWS)
    ]
    listing = tmp_path / "liste.csv"
    listing.write_bytes(csv_bytes(rows))
    args = ["import_cases", "--tenant", "kreis-kill", "--actor", "kill-co", "--file", str(listing)]

    process = subprocess.Popen(
        [sys.executable, "-u", "manage.py", *args, "--progress", "--pause-after-batch", "60"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and not line.startswith("written"):
            line = process.stdout.readline()  # type: ignore[union-attr]
            if not line and process.poll() is not None:
                break
        assert line.strip() == "written 2000", process.stderr.read() if process.poll() is not None else line  # type: ignore[union-attr]
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL

    assert count("SELECT COUNT(*) FROM cases_case") == 0
    assert count("SELECT COUNT(*) FROM cases_identity") == 0
    assert count("SELECT COUNT(*) FROM audit_auditevent WHERE action = 'transfer.cases_imported'") == 0
    assert count("SELECT COALESCE(SUM(last), 0) FROM cases_casenumbercounter") == 0

    finished = manage(env, *args, timeout=300)
    assert finished.returncode == 0, finished.stdout + finished.stderr
    assert count("SELECT COUNT(*) FROM cases_case") == ROWS
    assert count("SELECT COUNT(*) FROM cases_identity") == ROWS
