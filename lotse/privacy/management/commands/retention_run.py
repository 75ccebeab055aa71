"""``manage.py retention_run [--dry-run] [--tenant slug]``: anonymise closed cases whose
closure lies longer back than the tenant's retention rule (lotse.privacy.RetentionRule).
Run daily (cron or systemd timer). Idempotent: a second run finds nothing and writes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lotse.privacy import services
from lotse.tenants.models import Tenant


class Command(BaseCommand):
    help = "Anonymise closed cases after the retention period of their tenant (statistics stay)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List what would be anonymised; change nothing.")
        parser.add_argument("--tenant", help="Only this tenant (slug).")

    def handle(self, *args: Any, **options: Any) -> None:
        tenants = Tenant.objects.order_by("slug")
        if options["tenant"]:
            tenants = tenants.filter(slug=options["tenant"])
            if not tenants.exists():
                raise CommandError(f"No tenant with the slug {options['tenant']!r}.")
        dry = options["dry_run"]
        total = 0
        for tenant in tenants:
            plan = services.retention_plan(tenant)
            if plan.months == 0:
                self.stdout.write(f"{tenant.slug}: retention rule off")
                continue
            cutoff = plan.cutoff.isoformat() if plan.cutoff else "-"
            verb = "would anonymise" if dry else "anonymised"
            cases = plan.due if dry else services.retention_execute(plan)
            total += len(cases)
            self.stdout.write(
                f"{tenant.slug}: {verb} {len(cases)} case(s) closed on or before {cutoff}"
                f" ({plan.months} months); held back (restricted): {len(plan.held_back)}"
            )
            for case in cases:
                self.stdout.write(f"  {case.number}\tclosed on {case.closed_on.isoformat() if case.closed_on else '-'}")
            for case in plan.held_back:
                self.stdout.write(f"  {case.number}\theld back (restricted)")
        self.stdout.write(f"{'dry run, ' if dry else ''}total: {total}")
