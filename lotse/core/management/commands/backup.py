"""``manage.py backup <file>``: one archive with the database dump and a manifest of row counts
and checksums per table; ``--encrypt`` encrypts it with AES-256-GCM (key from ``--key-file`` or
``LOTSE_BACKUP_KEY``). ``--generate-key`` prints a new key. See docs/operations.md."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lotse.core.backup import ArchiveError, BackupError, backup_create, load_key
from lotse.core.backup.archive import key_id, new_key


class Command(BaseCommand):
    # A backup must work on an installation whose configuration checks fail, too.
    requires_system_checks: list[str] = []
    help = "Back up the database into one archive file (optionally encrypted)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("target", nargs="?", help="Archive file to write (replaced if it exists).")
        parser.add_argument("--encrypt", action="store_true", help="Encrypt the archive (AES-256-GCM).")
        parser.add_argument("--key-file", help="File with the base64 backup key (default: LOTSE_BACKUP_KEY).")
        parser.add_argument("--generate-key", action="store_true", help="Print a new random backup key and exit.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["generate_key"]:
            self.stdout.write(new_key())
            return
        if not options["target"]:
            raise CommandError("Name the archive file to write, e.g. manage.py backup /backup/lotse.bak")
        try:
            key = load_key(options["key_file"]) if (options["encrypt"] or options["key_file"]) else None
            if options["encrypt"] and key is None:
                raise CommandError("--encrypt needs a key: --key-file FILE or LOTSE_BACKUP_KEY.")
            started = time.monotonic()
            result = backup_create(Path(options["target"]), key=key)
        except (ArchiveError, BackupError) as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(t["rows"] for t in result["tables"].values())
        how = f"encrypted with key {key_id(key)}" if key else "not encrypted"
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {options['target']} ({result['vendor']}, {len(result['tables'])} tables, "
                f"{rows} rows, {result['dump_bytes']} bytes of dump, {how}) in {time.monotonic() - started:.1f} s."
            )
        )
