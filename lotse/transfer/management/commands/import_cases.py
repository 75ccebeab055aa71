"""``manage.py import_cases --tenant <slug> --actor <user> --file <path> [--dry-run]``: import a
case list (XLSX or CSV) as the coordinator ``--actor``, all-or-nothing. Prints the report of
every problem (row, column, problem, value) and exits with status 1 when there is one."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.access.context import AccessContext
from lotse.access.permissions import Perm
from lotse.accounts.models import User
from lotse.tenants.models import Membership, Tenant
from lotse.transfer.services import cases_import, uploads_purge


class Command(BaseCommand):
    help = "Import a case list (XLSX or CSV) into a district, all rows or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", required=True, help="short name (slug) of the district")
        parser.add_argument("--actor", required=True, help="user name of a coordinator of the district")
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--progress", action="store_true", help="print 'written <n>' after each batch")
        parser.add_argument(
            "--pause-after-batch",
            type=float,
            default=0.0,
            help="seconds to wait after each written batch (for the test that kills an import midway)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        tenant = Tenant.objects.filter(slug=options["tenant"], is_active=True).first()
        if tenant is None:
            raise CommandError("No active district with this short name.")
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        membership = Membership.objects.filter(tenant=tenant, user=actor, is_active=True).first() if actor else None
        ctx = AccessContext(user=actor, tenant=tenant, membership=membership)
        if not ctx.has(Perm.CASE_IMPORT):
            raise CommandError("The actor must be an active coordinator of the district.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")
        uploads_purge()
        pause = options["pause_after_batch"]

        def progress(written: int) -> None:
            if options["progress"]:
                self.stdout.write(f"written {written}")
                self.stdout.flush()
            if pause:
                time.sleep(pause)

        report, written = cases_import(
            path.read_bytes(), tenant=tenant, actor=actor, dry_run=options["dry_run"], progress=progress
        )
        for problem in report.problems:
            self.stdout.write(f"row {problem.row}\t{problem.column}\t{problem.problem}\t{problem.value}")
        if report.problems:
            self.stdout.write(f"{len(report.problems)} problem(s) in {report.rows} row(s); nothing was imported.")
            sys.exit(1)
        if options["dry_run"]:
            self.stdout.write(f"{report.rows} row(s) checked, no problems; nothing written (dry run).")
        else:
            self.stdout.write(f"{written} case(s) imported, {report.with_identity} with identity.")
