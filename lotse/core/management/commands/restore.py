"""``manage.py restore <file>``: replace the database with the archive's dump, then verify every
table's row count and checksum against the archive's manifest and the audit hash chains.

Refuses without ``--yes`` (or the database name typed at the prompt). The archive is read and
authenticated completely before anything changes. ``--verify-only`` changes nothing: it
checks the archive and compares its manifest with the live database. Exit code 1 and one line
per difference when anything does not match."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from lotse.core.backup import ArchiveError, BackupError, archive_check, load_key, restore, verify_live


class Command(BaseCommand):
    # A backup must work on an installation whose configuration checks fail, too.
    requires_system_checks: list[str] = []
    help = "Restore the database from a backup archive and verify it (or only verify: --verify-only)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("archive", help="Archive written by manage.py backup.")
        parser.add_argument("--key-file", help="File with the base64 backup key (default: LOTSE_BACKUP_KEY).")
        parser.add_argument("--yes", action="store_true", help="Replace the database without asking.")
        parser.add_argument(
            "--plain",
            action="store_true",
            help="The archive was made without --encrypt: use no key even if LOTSE_BACKUP_KEY is set.",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Change nothing: check the archive and compare its manifest with the live database.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = Path(options["archive"])
        try:
            key = None if options["plain"] else load_key(options["key_file"])
            if options["verify_only"]:
                self._verify_only(path, key)
                return
            header, _ = archive_check(path, key=key)
            self._confirm(options["yes"], header)
            started = time.monotonic()
            report = restore(path, key=key)
        except (ArchiveError, BackupError) as exc:
            raise CommandError(f"{exc} The database was not changed.") from exc
        elapsed = time.monotonic() - started
        for difference in report.differences:
            self.stderr.write(f"MISMATCH {difference.table}: {difference.problem}")
        for problem in report.audit_problems:
            self.stderr.write(f"AUDIT CHAIN BROKEN {problem}")
        if not report.ok:
            raise CommandError(
                f"Restored from {path}, but verification failed: {len(report.differences)} table(s) differ "
                f"from the backup, {len(report.audit_problems)} audit chain(s) broken. Do not put the "
                "installation back into service; see docs/operations.md, 'Backup and restore'."
            )
        rows = sum(t["rows"] for t in report.manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path} (backup of {report.manifest['created_at']}) in {elapsed:.1f} s; verified: "
                f"{len(report.manifest['tables'])} tables, {rows} rows, checksums equal, audit chains intact."
            )
        )

    def _verify_only(self, path: Path, key: bytes | None) -> None:
        _, manifest = archive_check(path, key=key)
        differences = verify_live(manifest)
        for difference in differences:
            self.stderr.write(f"DIFFERENT {difference.table}: {difference.problem}")
        if differences:
            raise CommandError(
                f"The archive is intact, but {len(differences)} table(s) of the live database differ from it "
                f"(backup of {manifest['created_at']})."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"The archive is intact and the live database equals it ({len(manifest['tables'])} tables)."
            )
        )

    def _confirm(self, yes: bool, header: dict) -> None:  # type: ignore[type-arg]
        if yes:
            return
        name = str(connection.settings_dict["NAME"])
        if not sys.stdin.isatty():
            raise CommandError("Restoring replaces the whole database: confirm with --yes. Nothing was changed.")
        self.stdout.write(
            f"This replaces every table of the {header.get('vendor')} database {name} with the backup of "
            f"{header.get('created_at')}. Type the database name to go on: "
        )
        if input().strip() != name:
            raise CommandError("Not confirmed; nothing was changed.")
