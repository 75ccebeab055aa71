"""``manage.py tenant_create``: the operator's way to add a district, city or state tenant and
its first tenant admin. Everything else is done by that admin in the Lotse UI."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from lotse.accounts import services as account_services
from lotse.accounts.models import User, normalize_username
from lotse.audit.services import audit_record
from lotse.tenants import services
from lotse.tenants.models import Membership, Role, Tenant, TenantKind


class Command(BaseCommand):
    help = "Create a tenant and its first tenant admin (prints a temporary password)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--name", required=True, help='e.g. "Kreis Kleve"')
        parser.add_argument("--slug", required=True, help="short name in addresses, e.g. kreis-kleve")
        parser.add_argument("--kind", choices=TenantKind.values, default=TenantKind.DISTRICT)
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-first-name", required=True)
        parser.add_argument("--admin-last-name", required=True)
        parser.add_argument("--admin-email", default="")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if Tenant.objects.filter(slug=options["slug"]).exists():
            raise CommandError(f"A tenant with the short name {options['slug']!r} exists already.")
        if User.objects.filter(username=normalize_username(options["admin_username"])).exists():
            raise CommandError(f"The username {options['admin_username']!r} is taken.")
        try:
            with transaction.atomic():
                tenant = services.tenant_create(name=options["name"], slug=options["slug"], kind=options["kind"])
                user, password = account_services.account_create(
                    actor=None,
                    tenant=tenant,
                    username=options["admin_username"],
                    first_name=options["admin_first_name"],
                    last_name=options["admin_last_name"],
                    email=options["admin_email"],
                )
                membership = Membership.objects.create(
                    user=user, tenant=tenant, role=Role.TENANT_ADMIN, accepted_at=timezone.now()
                )
                audit_record(
                    action="membership.created",
                    tenant=tenant,
                    obj=membership,
                    details={"role": Role.TENANT_ADMIN, "user_id": user.pk},
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Tenant {tenant.name} ({tenant.slug}) created."))
        self.stdout.write(f"Tenant admin: {user.username}")
        self.stdout.write(f"Temporary password (hand over in person; must be changed at first sign-in): {password}")
