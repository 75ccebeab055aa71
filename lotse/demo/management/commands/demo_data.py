"""``manage.py demo_data``: fill the database with the demo world of ``lotse.demo.data``.

Two districts (Kreis Coesfeld, Kreis Wesel) with their municipalities, providers, locations and
staff, the state tenant, and one demo login per role. Idempotent: every record is looked up by its
natural key (tenant slug, name, username) and only created when missing, so a second run creates
nothing. The demo logins are repaired on every run (password, active, no forced password change,
no lockout, memberships as specified) so that a demo that was played with still works.

Creations are written to the audit log like any other change (actor: none, i.e. the system).

Runs only in demo mode (``LOTSE_DEMO_MODE=1``) unless ``--force`` is given (tests). Each part is
one ``ensure_*`` function, so that later parts (e.g. demo cases) can be added to
:func:`ensure_all`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.utils import timezone, translation

from lotse.accounts import lockout
from lotse.accounts.models import User, normalize_username
from lotse.audit.services import audit_record
from lotse.cases.models import Case
from lotse.core.versioning import save_versioned
from lotse.demo import data
from lotse.demo.cases import ensure_cases
from lotse.demo.funding import ensure_funding
from lotse.demo.steering import ensure_steering
from lotse.tenants.models import Location, Membership, Municipality, Provider, Role, Tenant
from lotse.tenants.services import tenant_create, validate_role

COUNTED_MODELS: tuple[type[models.Model], ...] = (Tenant, Municipality, Provider, Location, User, Membership, Case)

# --- Names ----------------------------------------------------------------------------------

_TRANSLITERATE = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ł": "l"})


def ascii_name(text: str) -> str:
    """Lowercase ASCII for usernames: umlauts as ae/oe/ue, other accents dropped (ç → c)."""
    text = text.strip().lower().translate(_TRANSLITERATE)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9-]", "", text)


def username_for(first_name: str, last_name: str) -> str:
    """``Jana Hoffmann`` → ``j.hoffmann``; ``Serkan Öztürk`` → ``s.oeztuerk``."""
    return f"{ascii_name(first_name)[:1]}.{ascii_name(last_name)}"


# --- Generic helpers ------------------------------------------------------------------------


def _get_or_create(
    model: type[models.Model],
    *,
    tenant: Tenant,
    action: str,
    lookup: dict[str, Any],
    defaults: dict[str, Any],
) -> Any:
    obj, created = model._default_manager.get_or_create(tenant=tenant, **lookup, defaults=defaults)
    if created:
        audit_record(action=action, tenant=tenant, obj=obj)
    return obj


def ensure_tenant(spec: data.TenantData) -> Tenant:
    tenant = Tenant.objects.filter(slug=spec.slug).first()
    if tenant is None:
        tenant = tenant_create(name=spec.name, slug=spec.slug, kind=spec.kind)
    return tenant


def ensure_municipalities(tenant: Tenant, spec: data.TenantData) -> dict[str, Municipality]:
    return {
        name: _get_or_create(
            Municipality,
            tenant=tenant,
            action="municipality.created",
            lookup={"name": name},
            defaults={"ags": ags},
        )
        for name, ags in spec.municipalities
    }


def ensure_providers(
    tenant: Tenant, spec: data.TenantData, municipalities: dict[str, Municipality]
) -> dict[str, Provider]:
    """Providers (all bound by the cooperation contract), each with its Anlaufstelle."""
    providers: dict[str, Provider] = {}
    for item in spec.providers:
        provider = _get_or_create(
            Provider,
            tenant=tenant,
            action="provider.created",
            lookup={"name": item.name},
            defaults={
                "kind": item.kind,
                "municipality": municipalities.get(item.municipality or ""),
                "is_contracted": True,
            },
        )
        place = item.location
        _get_or_create(
            Location,
            tenant=tenant,
            action="location.created",
            lookup={"name": place.name},
            defaults={
                "provider": provider,
                "municipality": municipalities.get(place.municipality or ""),
                "street": place.street,
                "postal_code": place.postal_code,
                "city": place.city,
            },
        )
        providers[item.name] = provider
    return providers


def ensure_user(
    *, tenant: Tenant, username: str, first_name: str, last_name: str, email: str, password: str | None
) -> User:
    """The account with this username; created with ``password`` (None: unusable) if missing."""
    user = User.objects.filter(username=normalize_username(username)).first()
    if user is None:
        user = User.objects.create_user(username, password, first_name=first_name, last_name=last_name, email=email)
        audit_record(action="account.created", tenant=tenant, obj=user)
    return user


def ensure_membership(
    *, user: User, tenant: Tenant, role: str, provider: Provider | None, enforce: bool = False
) -> Membership:
    """The user's membership in the tenant. With ``enforce`` an existing membership is set back
    to this role and provider and reactivated (demo logins); otherwise it is left as it is."""
    validate_role(tenant=tenant, role=role, provider=provider)
    membership = Membership.objects.filter(user=user, tenant=tenant).first()
    if membership is None:
        membership = Membership.objects.create(
            user=user, tenant=tenant, role=role, provider=provider, accepted_at=timezone.now()
        )
        audit_record(
            action="membership.created",
            tenant=tenant,
            obj=membership,
            details={"role": role, "provider_id": provider.pk if provider else None, "user_id": user.pk},
        )
        return membership
    if not enforce:
        return membership
    changes: dict[str, Any] = {}
    if membership.role != role or membership.provider_id != (provider.pk if provider else None):
        changes.update(role=role, provider=provider)
        save_versioned(membership, expected_version=membership.version, changes=changes, actor=None)
        audit_record(
            action="membership.updated",
            tenant=tenant,
            obj=membership,
            details={"fields": sorted(changes), "role": role},
        )
    if not membership.is_active or membership.accepted_at is None:
        Membership.objects.filter(pk=membership.pk).update(
            is_active=True, ended_at=None, accepted_at=membership.accepted_at or timezone.now()
        )
        membership.refresh_from_db()
        audit_record(action="membership.reactivated", tenant=tenant, obj=membership)
    return membership


def ensure_staff(tenant: Tenant, spec: data.TenantData, providers: dict[str, Provider]) -> None:
    """Staff without a demo login: accounts with an unusable password (no sign-in)."""
    for person in spec.staff:
        provider = providers[person.provider] if person.provider else None
        username = username_for(person.first_name, person.last_name)
        domain = provider_domain(spec, person.provider)
        user = ensure_user(
            tenant=tenant,
            username=username,
            first_name=person.first_name,
            last_name=person.last_name,
            email=f"{username}@{domain}",
            password=None,
        )
        ensure_membership(user=user, tenant=tenant, role=person.role, provider=provider)


def provider_domain(spec: data.TenantData, provider_name: str | None) -> str:
    for item in spec.providers:
        if item.name == provider_name:
            return item.email_domain
    return spec.email_domain


# --- The parts ------------------------------------------------------------------------------


def ensure_tenant_world(spec: data.TenantData) -> Tenant:
    """One tenant with its municipalities, providers, locations and staff."""
    tenant = ensure_tenant(spec)
    municipalities = ensure_municipalities(tenant, spec)
    providers = ensure_providers(tenant, spec, municipalities)
    ensure_staff(tenant, spec, providers)
    return tenant


def ensure_tenant_coesfeld() -> Tenant:
    return ensure_tenant_world(data.COESFELD)


def ensure_tenant_wesel() -> Tenant:
    return ensure_tenant_world(data.WESEL)


def ensure_tenant_state() -> Tenant:
    return ensure_tenant_world(data.STATE)


def ensure_demo_logins() -> list[User]:
    """One sign-in per role with the demo password. Needs the tenants (run after them)."""
    users = []
    for login in data.DEMO_LOGINS:
        first = login.memberships[0]
        home = Tenant.objects.get(slug=first.tenant)
        user = ensure_user(
            tenant=home,
            username=login.username,
            first_name=login.first_name,
            last_name=login.last_name,
            email=login.email,
            password=data.DEMO_PASSWORD,
        )
        reset_demo_login(user, tenant=home)
        for item in login.memberships:
            tenant = Tenant.objects.get(slug=item.tenant)
            provider = Provider.objects.get(tenant=tenant, name=item.provider) if item.provider else None
            ensure_membership(user=user, tenant=tenant, role=item.role, provider=provider, enforce=True)
        users.append(user)
    return users


def reset_demo_login(user: User, *, tenant: Tenant) -> None:
    """Demo password, active, no forced password change, no lockout. Writes (and audits) only
    what differs, so that a run on an untouched demo changes nothing."""
    if not user.check_password(data.DEMO_PASSWORD) or user.must_change_password:
        user.set_password(data.DEMO_PASSWORD)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        audit_record(action="account.password_reset", tenant=tenant, obj=user, details={"reason": "demo_data"})
    if not user.is_active:
        User.objects.filter(pk=user.pk).update(is_active=True)
        user.is_active = True
        audit_record(action="account.reactivated", tenant=tenant, obj=user)
    lockout.clear_account(lockout.user_key(user))


def ensure_all() -> None:
    """Every part, in dependency order. Later parts (demo cases, …) are added at the end."""
    ensure_tenant_coesfeld()
    ensure_tenant_wesel()
    ensure_tenant_state()
    ensure_demo_logins()
    ensure_cases()
    ensure_steering()
    ensure_funding()


# --- Output ---------------------------------------------------------------------------------


def row_counts() -> dict[str, int]:
    return {str(model._meta.verbose_name_plural): model._default_manager.count() for model in COUNTED_MODELS}


def tenant_summary(tenant: Tenant) -> str:
    active = Membership.objects.filter(tenant=tenant, is_active=True)
    roles = {label: active.filter(role=value).count() for value, label in Role.choices}
    staff = ", ".join(f"{label}: {n}" for label, n in roles.items() if n)
    return (
        f"{tenant.name}: {tenant.municipalities.count()} municipalities, "
        f"{tenant.providers.count()} providers, {tenant.locations.count()} locations; {staff}"
    )


def login_table() -> list[tuple[str, str, str, str]]:
    """(role, username, password, tenant) of every demo login, as in its first membership."""
    rows = []
    for login in data.DEMO_LOGINS:
        first = login.memberships[0]
        tenants = ", ".join(Tenant.objects.get(slug=m.tenant).name for m in login.memberships)
        rows.append((str(Role(first.role).label), login.username, data.DEMO_PASSWORD, tenants))
    return rows


def format_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    table = [tuple(header), *rows]
    widths = [max(len(str(row[i])) for row in table) for i in range(len(table[0]))]
    lines = [" | ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    return lines


class Command(BaseCommand):
    help = (
        "Load the demo data (Kreis Coesfeld, Kreis Wesel, Land NRW, one demo login per role). "
        "Idempotent. Only in demo mode (LOTSE_DEMO_MODE=1) unless --force is given."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run although DEMO_MODE is off (tests). Never on a database with real data.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE and not options["force"]:
            raise CommandError(
                "Demo-Daten werden nur im Demo-Modus geladen (LOTSE_DEMO_MODE=1) oder mit --force. "
                "Demo data is only loaded in demo mode (LOTSE_DEMO_MODE=1) or with --force."
            )
        with translation.override("en"):
            before = row_counts()
            with transaction.atomic():
                ensure_all()
            self.report(before, row_counts())

    def report(self, before: dict[str, int], after: dict[str, int]) -> None:
        created = ", ".join(f"{after[k] - before[k]} {k}" for k in after if after[k] != before[k])
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. New: {created or 'nothing (up to date)'}."))
        for spec in data.TENANTS:
            self.stdout.write("  " + tenant_summary(Tenant.objects.get(slug=spec.slug)))
        self.stdout.write("")
        self.stdout.write("Demo logins:")
        for line in format_table(("role", "username", "password", "tenant"), login_table()):
            self.stdout.write("  " + line)
