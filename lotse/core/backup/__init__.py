"""Backup and restore of the Lotse database (``manage.py backup`` / ``manage.py restore``).

One archive file (:mod:`lotse.core.backup.archive`) holds the database dump — a SQLite copy made
with the online backup API or a ``pg_dump -Fc`` archive — and a manifest with the row count and
checksum of every table (:mod:`lotse.core.backup.manifest`), optionally encrypted with
AES-256-GCM. A restore first reads and authenticates the whole archive, then replaces the
database, then recomputes every count and checksum and compares them with the manifest.
See docs/operations.md, *Backup and restore*.
"""

from __future__ import annotations

import contextlib
import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

from lotse.core.backup import databases, manifest
from lotse.core.backup.archive import ArchiveError, ArchiveReader, ArchiveWriter, parse_key
from lotse.core.backup.databases import BackupError
from lotse.core.backup.manifest import Difference

__all__ = [
    "ArchiveError",
    "BackupError",
    "RestoreReport",
    "archive_check",
    "backup_create",
    "load_key",
    "restore",
    "verify_live",
]


def load_key(key_file: str | None) -> bytes | None:
    """The backup key from ``key_file`` if given, else from ``LOTSE_BACKUP_KEY``, else None."""
    if key_file:
        path = Path(key_file)
        try:
            text = path.read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"Cannot read the key file {path}: {exc}") from exc
        return parse_key(text, source=f"key file {path}")
    configured = getattr(settings, "BACKUP_KEY", "")
    if configured:
        return parse_key(configured, source="LOTSE_BACKUP_KEY")
    return None


def backup_create(target: Path, *, key: bytes | None, using: str = "default") -> dict[str, Any]:
    """Write an archive of the database to ``target`` (atomically: a temporary file next to it
    is renamed when complete, so no half-written archive ever carries the target name).
    Returns the manifest."""
    vendor = databases.vendor(using)
    target = Path(target)
    if target.exists() and target.is_dir():
        raise BackupError(f"{target} is a directory; give a file name.")
    if not target.parent.is_dir():
        raise BackupError(f"The directory {target.parent} does not exist.")
    created = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            writer = ArchiveWriter(handle, {"vendor": vendor, "created_at": created}, key)
            dump = databases.sqlite_dump if vendor == "sqlite" else databases.pg_dump
            tables = dump(using, writer.dump, lambda: manifest.database_sums(using))
            result = {
                "vendor": vendor,
                "created_at": created,
                "checksum_version": manifest.CHECKSUM_VERSION,
                "tables": tables,
            }
            writer.finish(result)
            handle.flush()
            os.fsync(handle.fileno())
        partial.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()
        raise
    return {**result, "dump_bytes": writer.dump_bytes}


def archive_check(path: Path, *, key: bytes | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read and authenticate the whole archive; returns (header, manifest)."""
    path = Path(path)
    if not path.is_file():
        raise ArchiveError(f"No archive at {path}.")
    reader = ArchiveReader(path, key)
    found = reader.check()
    if found.get("checksum_version") != manifest.CHECKSUM_VERSION:
        raise ArchiveError(f"The archive's checksums are of version {found.get('checksum_version')}; unsupported.")
    return reader.header, found


def verify_live(expected: dict[str, Any], using: str = "default") -> list[Difference]:
    """Compare the manifest's tables with the live database."""
    return manifest.compare(expected["tables"], manifest.database_sums(using))


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    differences: list[Difference] = field(default_factory=list)
    audit_problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences and not self.audit_problems


def restore(path: Path, *, key: bytes | None, using: str = "default") -> RestoreReport:
    """Check the archive completely, replace the database with its dump, then verify every
    table against the manifest and the audit hash chains. Nothing is changed when the archive
    does not authenticate or belongs to another database system."""
    vendor = databases.vendor(using)
    if vendor == "sqlite":
        databases.sqlite_path(using)
    header, expected = archive_check(Path(path), key=key)
    if expected.get("vendor") != vendor or header.get("vendor") != vendor:
        raise BackupError(
            f"The archive holds a {expected.get('vendor')} dump, the configured database is {vendor}; "
            "restore it into a database of the same kind."
        )
    reader = ArchiveReader(Path(path), key)
    if vendor == "sqlite":
        databases.sqlite_restore(using, reader.dump_chunks())
    else:
        databases.pg_restore(using, reader.dump_chunks())
    report = RestoreReport(expected, verify_live(expected, using))
    if using == "default":
        from lotse.audit.verify import verify_all

        report.audit_problems = [f"{r.chain}: {r.problem}" for r in verify_all() if not r.ok]
    return report
