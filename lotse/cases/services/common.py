"""Checks shared by the case services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lotse.cases.models import Case, CaseStatus


def restricted_message() -> str:
    return _("Processing of this case is restricted (Art. 18 GDPR); it is only stored until the restriction is lifted.")


def require_not_restricted(case: Case) -> None:
    """Art. 18 GDPR: a restricted case is only stored; every processing step is refused."""
    if case.restricted_at is not None:
        raise ValidationError(restricted_message())


def require_open(case: Case) -> None:
    """Closed cases are read-only; a case waiting for closure approval too; a restricted case
    is frozen."""
    require_not_restricted(case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("This case is closed and can no longer be changed. Reopen it first."))
    if case.status == CaseStatus.CLOSURE_REQUESTED:
        raise ValidationError(
            _("The closure of this case awaits the coordinator's decision; it cannot be changed meanwhile.")
        )


def require_same_tenant(tenant_id: int, *objects: Any) -> None:
    for obj in objects:
        if obj is not None and getattr(obj, "tenant_id", tenant_id) != tenant_id:
            raise ValidationError(_("A linked record belongs to another tenant."))
