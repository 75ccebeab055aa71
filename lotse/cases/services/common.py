"""Checks shared by the case services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lotse.cases.models import Case, CaseStatus


def require_open(case: Case) -> None:
    """Closed cases are read-only; a case waiting for closure approval too."""
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
