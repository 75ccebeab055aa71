"""Writes to the partner directory (Netzwerk). Atomic, audited, version-checked."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.core.versioning import save_versioned
from lotse.network.models import Agency, AgencyKind
from lotse.tenants.models import Tenant

# The fields an editor may set; tenant, version and audit columns are never taken from input.
AGENCY_FIELDS = frozenset(
    {"name", "kind", "contact_person", "phone", "email", "address", "has_own_case_management", "is_active"}
)


def _name_taken() -> ValidationError:
    return ValidationError({"name": _("An agency with this name is already in the directory.")})


def _clean_fields(tenant_id: int, fields: dict[str, Any], *, exclude_pk: int | None = None) -> dict[str, Any]:
    unknown = set(fields) - AGENCY_FIELDS
    if unknown:
        raise TypeError(f"Unknown agency fields: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "name" in cleaned:
        name = cleaned["name"]
        if not name:
            raise ValidationError({"name": _("Enter the name of the agency.")})
        # unique per tenant regardless of case (compared in Python: SQLite folds ASCII only)
        others = Agency.objects.filter(tenant_id=tenant_id)
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise _name_taken()
    if "kind" in cleaned and cleaned["kind"] not in AgencyKind.values:
        raise ValidationError({"kind": _("Choose the type of the agency.")})
    return cleaned


def agency_create(*, actor: Any, tenant: Tenant, **fields: Any) -> Agency:
    """Add an agency to the tenant's directory; its name must be new in the tenant."""
    cleaned = _clean_fields(tenant.pk, fields)
    if "name" not in cleaned or "kind" not in cleaned:
        raise ValidationError(_("Name and type of the agency are required."))
    try:
        with transaction.atomic():
            agency = Agency.objects.create(tenant=tenant, updated_by=actor, **cleaned)
            audit_record(action="agency.created", actor=actor, tenant=tenant, obj=agency)
    except IntegrityError as exc:  # a concurrent create took the name
        raise _name_taken() from exc
    return agency


def agency_update(agency: Agency, *, actor: Any, expected_version: int, **fields: Any) -> Agency:
    """Change an agency if nobody saved it since ``expected_version`` (else StaleObjectError)."""
    cleaned = _clean_fields(agency.tenant_id, fields, exclude_pk=agency.pk)
    changed = sorted(k for k, v in cleaned.items() if getattr(agency, k) != v)
    try:
        with transaction.atomic():
            save_versioned(agency, expected_version=expected_version, changes=cleaned, actor=actor)
            audit_record(
                action="agency.updated",
                actor=actor,
                tenant_id=agency.tenant_id,
                obj=agency,
                details={"fields": changed},
            )
    except IntegrityError as exc:
        raise _name_taken() from exc
    return agency
