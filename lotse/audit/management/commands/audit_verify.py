"""``manage.py audit_verify``: exit 0 when every audit chain is intact, else exit 1 naming the
first broken row of each broken chain."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from lotse.audit.verify import verify_all, verify_chain


class Command(BaseCommand):
    help = "Verify the hash chains of the audit log."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--chain", help="Verify only this chain (e.g. 'platform', 'tenant:3').")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        reports = [verify_chain(options["chain"])] if options["chain"] else verify_all()
        broken = [r for r in reports if not r.ok]
        for report in reports:
            if report.ok:
                self.stdout.write(f"{report.chain}: {report.rows} rows, intact")
            else:
                self.stderr.write(f"{report.chain}: BROKEN at {report.problem}")
        if broken:
            raise CommandError(f"{len(broken)} audit chain(s) broken; first: {broken[0].problem}")
        self.stdout.write(self.style.SUCCESS(f"All {len(reports)} audit chain(s) intact."))
