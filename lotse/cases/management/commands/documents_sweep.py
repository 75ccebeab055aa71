"""``manage.py documents_sweep``: remove stored document files that have no document row (left
by a rolled-back transaction or a crash between writing the file and committing its row).
Files younger than ``--hours`` are kept: their upload may still be in progress. Safe to run
again at any time (run daily)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.cases.services.documents import document_sweep_orphans


class Command(BaseCommand):
    help = "Remove stored document files without a document record (run daily)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=6,
            help="Keep files younger than this many hours (uploads in progress). Default: 6.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        hours = options["hours"]
        if hours < 1:
            raise CommandError("--hours must be at least 1: younger files may belong to uploads in progress.")
        removed = document_sweep_orphans(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"removed {removed} orphaned document file(s)")
