"""Dumping and restoring the configured database: SQLite through Python's online backup API,
PostgreSQL through ``pg_dump -Fc`` / ``pg_restore``. Connection parameters for the PostgreSQL
tools go through ``PG*`` environment variables (the password through ``PGPASSWORD``), never
on the command line, where every user of the machine could read them."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from django.db import connections

from lotse.core.backup.archive import CHUNK, ArchiveError


class BackupError(Exception):
    """Backup or restore cannot be done; the message says why and what to do."""


def vendor(using: str) -> str:
    found = connections[using].vendor
    if found not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {found}.")
    return found


def sqlite_path(using: str) -> Path:
    name = str(connections[using].settings_dict["NAME"])
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError("The configured SQLite database lives in memory; there is nothing to back up or restore.")
    return Path(name)


@contextlib.contextmanager
def private_tmpdir() -> Iterator[Path]:
    """A directory only this user can read (mode 0700), removed afterwards."""
    path = Path(tempfile.mkdtemp(prefix="lotse-backup-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


# --- SQLite ------------------------------------------------------------------------------------


def sqlite_dump(using: str, sink: Callable[[bytes], None], sums: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Copy the live database with the online backup API inside one read transaction and
    compute the checksums in the same transaction, so both see the same state; writers are not
    blocked (WAL). The copy passes through a private temporary file."""
    sqlite_path(using)
    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    connection.ensure_connection()
    raw = connection.connection
    with private_tmpdir() as tmp:
        copy = tmp / "snapshot.sqlite3"
        raw.execute("BEGIN DEFERRED")
        try:
            raw.execute("SELECT count(*) FROM sqlite_master").fetchone()  # starts the read snapshot
            target = sqlite3.connect(copy)
            try:
                raw.backup(target)
            finally:
                target.close()
            result = sums()
        finally:
            raw.execute("ROLLBACK")
        for chunk in _file_chunks(copy):
            sink(chunk)
    return result


def sqlite_restore(using: str, chunks: Iterable[bytes]) -> None:
    """Write the dump to a private temporary file, check it is an intact SQLite database, then
    copy it over the live database with the backup API (one write transaction: readers see the
    old or the new database, never a mix)."""
    live = sqlite_path(using)
    with private_tmpdir() as tmp:
        copy = tmp / "restore.sqlite3"
        with copy.open("wb") as handle:
            for chunk in chunks:
                handle.write(chunk)
        source = sqlite3.connect(copy)
        try:
            try:
                result = source.execute("PRAGMA integrity_check").fetchone()
            except sqlite3.DatabaseError as exc:
                raise ArchiveError(f"The dump in the archive is not a usable SQLite database: {exc}") from exc
            if not result or result[0] != "ok":
                raise ArchiveError(f"The dump in the archive fails SQLite's integrity check: {result}")
            connections[using].close()
            target = sqlite3.connect(live, timeout=60)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()


# --- PostgreSQL -------------------------------------------------------------------------------

_SSL_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "service": "PGSERVICE",
    "passfile": "PGPASSFILE",
}


def pg_environment(using: str) -> dict[str, str]:
    """Environment for pg_dump/pg_restore: the connection parameters of ``DATABASES[using]``."""
    settings_dict = connections[using].settings_dict
    env = dict(os.environ)  # PG* variables set by the operator (e.g. PGSSLMODE) apply unless the settings say otherwise
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if settings_dict.get(key):
            env[var] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    for option, var in _SSL_OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(option):
            env[var] = str(settings_dict["OPTIONS"][option])
    env["PGCONNECT_TIMEOUT"] = env.get("PGCONNECT_TIMEOUT", "10")
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed; install the PostgreSQL client tools (Debian: postgresql-client).")
    return found


def _stderr_text(handle: Any) -> str:
    handle.seek(0)
    text = handle.read().decode("utf-8", "replace").strip()
    return text[-2000:]


def pg_dump(using: str, sink: Callable[[bytes], None], sums: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """``pg_dump -Fc`` of an exported snapshot, streamed into ``sink``, and the checksums read
    in the transaction that exported it: dump and checksums show the same state, while the
    application keeps writing."""
    from django.db import transaction

    connection = connections[using]
    if connection.in_atomic_block:
        raise BackupError("Run the backup outside a transaction.")
    tool = _tool("pg_dump")
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
                [tool, "--format=custom", "--no-password", f"--snapshot={snapshot}"],
                stdout=subprocess.PIPE,
                stderr=errors,
                env=pg_environment(using),
            )
            assert process.stdout is not None
            try:
                while chunk := process.stdout.read(CHUNK):
                    sink(chunk)
            finally:
                process.stdout.close()
                code = process.wait()
            if code != 0:
                raise BackupError(f"pg_dump failed (exit {code}): {_stderr_text(errors)}")
        return sums()


def pg_restore(using: str, chunks: Iterable[bytes]) -> None:
    """``pg_restore --clean --if-exists --no-owner --single-transaction`` into the configured
    database, fed from ``chunks``: it drops and recreates every object of the dump (the audit
    tables with their triggers, which forbid UPDATE/DELETE/TRUNCATE of rows but not DROP
    TABLE), all or nothing. An error in the stream kills pg_restore, which rolls back."""
    tool = _tool("pg_restore")
    connections[using].close()
    name = str(connections[using].settings_dict["NAME"])
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--no-password",
                f"--dbname={name}",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=pg_environment(using),
        )
        assert process.stdin is not None
        try:
            for chunk in chunks:
                process.stdin.write(chunk)
            process.stdin.close()
        except BrokenPipeError:
            pass  # pg_restore stopped early; its exit code and message say why
        except BaseException:
            process.kill()
            process.wait()
            raise
        code = process.wait()
        if code != 0:
            raise BackupError(f"pg_restore failed (exit {code}), nothing was changed: {_stderr_text(errors)}")
