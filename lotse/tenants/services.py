"""Writes to tenant structure and memberships. Atomic, audited, version-checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.accounts import services as account_services
from lotse.accounts.models import User, normalize_username, sort_key
from lotse.audit.services import audit_record
from lotse.core.versioning import save_versioned
from lotse.tenants.models import (
    PROVIDER_ROLES,
    RESERVED_SLUGS,
    STATE_ROLES,
    Location,
    Membership,
    Municipality,
    Provider,
    Role,
    Tenant,
    TenantKind,
)


@dataclass(frozen=True)
class AccountDetails:
    """Account-wide fields of a person (shared by all tenants they work in)."""

    first_name: str
    last_name: str
    email: str


def validate_role(*, tenant: Tenant, role: str, provider: Provider | None) -> None:
    """The service is the last line: forms check the same, but no caller can bypass it."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    if tenant.kind == TenantKind.STATE and role not in STATE_ROLES:
        raise ValidationError(_("A state tenant has only state analysts and administrators."))
    if tenant.kind != TenantKind.STATE and role == Role.STATE_ANALYST:
        raise ValidationError(_("State analysts belong to the state tenant."))
    if role in PROVIDER_ROLES and provider is None:
        raise ValidationError(_("This role needs a provider."))
    if provider is not None and provider.tenant_id != tenant.pk:
        raise ValidationError(_("The provider belongs to another tenant."))


@transaction.atomic
def tenant_create(*, name: str, slug: str, kind: str) -> Tenant:
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved."))
    tenant = Tenant.objects.create(name=name, slug=slug, kind=kind)
    audit_record(action="tenant.created", tenant=tenant, obj=tenant)
    return tenant


def _membership_create(
    *, actor: User, user: User, tenant: Tenant, role: str, provider: Provider | None, invitation: bool
) -> Membership:
    """A membership and its audit event; an invitation waits for the person's acceptance."""
    membership = Membership.objects.create(
        user=user,
        tenant=tenant,
        role=role,
        provider=provider,
        updated_by=actor,
        accepted_at=None if invitation else timezone.now(),
    )
    audit_record(
        action="membership.invited" if invitation else "membership.created",
        actor=actor,
        tenant=tenant,
        obj=membership,
        details={"role": role, "provider_id": provider.pk if provider else None, "user_id": user.pk},
    )
    return membership


def staff_create(
    *,
    actor: User,
    tenant: Tenant,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: str,
    provider: Provider | None,
) -> tuple[Membership, str]:
    """A new account with its first membership; returns the temporary password to hand over."""
    validate_role(tenant=tenant, role=role, provider=provider)
    taken = ValidationError(_("This username is already taken."))
    if User.objects.filter(username=normalize_username(username)).exists():
        raise taken
    try:
        with transaction.atomic():
            user, password = account_services.account_create(
                actor=actor,
                tenant=tenant,
                username=username,
                first_name=first_name,
                last_name=last_name,
                email=email,
            )
            membership = _membership_create(
                actor=actor, user=user, tenant=tenant, role=role, provider=provider, invitation=False
            )
    except IntegrityError as exc:  # the same username was taken concurrently
        raise taken from exc
    return membership, password


@transaction.atomic
def staff_update(
    *,
    actor: User,
    membership: Membership,
    expected_version: int,
    user_version: int,
    role: str,
    provider: Provider | None,
    account: AccountDetails | None = None,
) -> Membership:
    """Change role and provider and, with ``account``, the person's name and e-mail address.
    The account is shared by every tenant the person works in, so callers pass ``account``
    only where the actor may manage the whole account (``access.policy.can_manage_account``).
    Stale versions of either record are refused."""
    validate_role(tenant=membership.tenant, role=role, provider=provider)
    user = membership.user
    changed_user: list[str] = []
    if account is not None:
        user_changes = {
            "first_name": account.first_name.strip(),
            "last_name": account.last_name.strip(),
            "email": account.email.strip().lower(),
            "sort_name": sort_key(account.last_name.strip(), account.first_name.strip()),
        }
        changed_user = [k for k, v in user_changes.items() if k != "sort_name" and getattr(user, k) != v]
        save_versioned(user, expected_version=user_version, changes=user_changes, actor=actor)
    member_changes: dict[str, Any] = {"role": role, "provider": provider}
    changed_member = [k for k, v in member_changes.items() if getattr(membership, k) != v]
    save_versioned(membership, expected_version=expected_version, changes=member_changes, actor=actor)
    if changed_user:
        account_services.audit_account_event(
            action="account.updated", actor=actor, user=user, details={"fields": changed_user}
        )
    if changed_member:
        audit_record(
            action="membership.updated",
            actor=actor,
            tenant=membership.tenant,
            obj=membership,
            details={"fields": changed_member, "role": role},
        )
    return membership


def staff_add_existing(
    *, actor: User, tenant: Tenant, username: str, email: str, role: str, provider: Provider | None
) -> Membership:
    """Invite an existing account. The username *and* the stored e-mail address must match,
    and the same message answers every mismatch, so the form reveals nothing about accounts of
    other tenants. The membership stays closed until the person accepts it at their next
    sign-in: nobody can pull an account into their tenant (and its sign-in history into their
    audit view) without the person's consent."""
    validate_role(tenant=tenant, role=role, provider=provider)
    not_found = ValidationError(
        _("No active account has this username and e-mail address. Check both, or create a new account.")
    )
    user = User.objects.filter(username=normalize_username(username), is_active=True).first()
    if user is None or not email.strip() or user.email.casefold() != email.strip().casefold():
        raise not_found
    if Membership.objects.filter(user=user, tenant=tenant).exists():
        raise ValidationError(
            _("This person already has a membership here. Open it in the staff list to change or restore it.")
        )
    try:
        with transaction.atomic():
            membership = _membership_create(
                actor=actor, user=user, tenant=tenant, role=role, provider=provider, invitation=True
            )
    except IntegrityError as exc:
        raise ValidationError(_("This person already has a membership here.")) from exc
    return membership


def invitation_answer(*, user: User, membership: Membership, accept: bool) -> Membership:
    """The invited person accepts (the tenant opens at once) or declines (the membership ends)."""
    if membership.user_id != user.pk or membership.accepted_at is not None or not membership.is_active:
        raise ValidationError(_("This invitation is no longer open."))
    now = timezone.now()
    with transaction.atomic():
        if accept:
            Membership.objects.filter(pk=membership.pk).update(accepted_at=now, updated_at=now, updated_by=user)
        else:
            Membership.objects.filter(pk=membership.pk).update(
                is_active=False, ended_at=now, updated_at=now, updated_by=user
            )
        audit_record(
            action="membership.accepted" if accept else "membership.declined",
            actor=user,
            tenant=membership.tenant,
            obj=membership,
        )
    membership.refresh_from_db()
    return membership


@transaction.atomic
def membership_set_active(*, actor: User, membership: Membership, active: bool) -> Membership:
    """Ending a membership removes access to this tenant at once (checked on every request)."""
    Membership.objects.filter(pk=membership.pk).update(
        is_active=active,
        ended_at=None if active else timezone.now(),
        updated_by=actor,
        updated_at=timezone.now(),
    )
    membership.refresh_from_db()
    audit_record(
        action="membership.reactivated" if active else "membership.ended",
        actor=actor,
        tenant=membership.tenant,
        obj=membership,
    )
    return membership


_NAME_TAKEN = _("This name is already used in this tenant.")

# Tenant structure edited in the UI, with the audit name of each kind.
_STRUCTURE_AUDIT_NAMES: dict[type[Model], str] = {
    Provider: "provider",
    Location: "location",
    Municipality: "municipality",
}


def structure_create(model: type[Model], *, actor: User, tenant: Tenant, **fields: Any) -> Any:
    """Create a provider, location or municipality of ``tenant``; linked records (a location's
    provider and municipality, …) must belong to the same tenant."""
    _check_same_tenant(tenant, fields)
    action = f"{_STRUCTURE_AUDIT_NAMES[model]}.created"
    try:
        with transaction.atomic():
            obj = model._default_manager.create(tenant=tenant, updated_by=actor, **fields)
            audit_record(action=action, actor=actor, tenant=tenant, obj=obj)
    except IntegrityError as exc:  # a concurrent create took the name
        raise ValidationError(_NAME_TAKEN) from exc
    return obj


def structure_update(obj: Any, *, actor: User, expected_version: int, **fields: Any) -> Any:
    """Change a provider, location or municipality if nobody saved it since ``expected_version``."""
    _check_same_tenant(obj.tenant, fields)
    action = f"{_STRUCTURE_AUDIT_NAMES[type(obj)]}.updated"
    try:
        with transaction.atomic():
            changed = [k for k, v in fields.items() if getattr(obj, k) != v]
            save_versioned(obj, expected_version=expected_version, changes=fields, actor=actor)
            audit_record(action=action, actor=actor, tenant=obj.tenant, obj=obj, details={"fields": changed})
    except IntegrityError as exc:
        raise ValidationError(_NAME_TAKEN) from exc
    return obj


def _check_same_tenant(tenant: Tenant, fields: dict[str, Any]) -> None:
    for value in fields.values():
        if hasattr(value, "tenant_id") and value.tenant_id != tenant.pk:
            raise ValidationError(_("A linked record belongs to another tenant."))
