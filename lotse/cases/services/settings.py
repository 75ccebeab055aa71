"""The tenant's rules of case work (case number, re-assessment interval, closure approval),
changed by the tenant admin."""

from __future__ import annotations

import string
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.models import Case, CaseNumberCounter, CaseSettings
from lotse.cases.services.cases import format_case_number, validate_number_format
from lotse.core.versioning import save_versioned

SETTINGS_FIELDS = ("number_prefix", "number_format", "reassessment_interval_days", "closure_requires_approval")
INTERVAL_MIN_DAYS = 1
INTERVAL_MAX_DAYS = 730
PREFIX_MAX_LENGTH = 10
PLACEHOLDERS = ("prefix", "year", "seq")
NUMBER_MAX_LENGTH = Case._meta.get_field("number").max_length or 40


def next_number_preview(
    settings_: CaseSettings, *, number_prefix: str | None = None, number_format: str | None = None
) -> str:
    """The number the next case of this year would get with these settings (nothing is drawn)."""
    year = timezone.localdate().year
    last = (
        CaseNumberCounter.objects.filter(tenant_id=settings_.tenant_id, year=year)
        .values_list("last", flat=True)
        .first()
        or 0
    )
    return format_case_number(
        settings_.number_format if number_format is None else number_format,
        prefix=settings_.number_prefix if number_prefix is None else number_prefix,
        year=year,
        seq=last + 1,
    )


def _format_error() -> ValidationError:
    return ValidationError(
        _("The case number format is invalid. Use only {prefix}, {year} and {seq}, e.g. {prefix}-{year}-{seq:05d}.")
    )


def _check_placeholders(fmt: str) -> None:
    """Only the three placeholders, each with at most a plain format spec: no attribute or index
    access (``{seq.real}``), no conversions (``{seq!r}``), no nested fields."""
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise _format_error() from exc
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if name not in PLACEHOLDERS or conversion or (spec and ("{" in spec or "}" in spec)):
            raise _format_error()
    sample = format_case_number(fmt, prefix="X" * PREFIX_MAX_LENGTH, year=9999, seq=999_999)
    if len(sample) > NUMBER_MAX_LENGTH:
        raise ValidationError(
            _("Case numbers of this format can become too long (at most %(max)d characters).")
            % {"max": NUMBER_MAX_LENGTH}
        )


def check_number_format(fmt: str) -> None:
    """Raise a :class:`ValidationError` with a message unless ``fmt`` gives case numbers."""
    _check_placeholders(fmt)
    validate_number_format(fmt)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    if "number_prefix" in fields:
        prefix = str(fields["number_prefix"]).strip()
        if len(prefix) > PREFIX_MAX_LENGTH:
            raise ValidationError(_("The prefix can have at most %(max)d characters.") % {"max": PREFIX_MAX_LENGTH})
        fields["number_prefix"] = prefix
    if "number_format" in fields:
        fields["number_format"] = str(fields["number_format"]).strip()
        check_number_format(fields["number_format"])
    if "reassessment_interval_days" in fields:
        days = fields["reassessment_interval_days"]
        if not isinstance(days, int) or not INTERVAL_MIN_DAYS <= days <= INTERVAL_MAX_DAYS:
            raise ValidationError(
                _("The re-assessment interval must lie between %(min)d and %(max)d days.")
                % {"min": INTERVAL_MIN_DAYS, "max": INTERVAL_MAX_DAYS}
            )
    if "closure_requires_approval" in fields:
        fields["closure_requires_approval"] = bool(fields["closure_requires_approval"])
    return fields


def case_settings_update(settings_: CaseSettings, *, actor: Any, expected_version: int, **fields: Any) -> CaseSettings:
    """Save the tenant's case settings. A format is checked by drawing a sample number with it;
    a stale version raises :class:`lotse.core.versioning.StaleObjectError`. Cases already
    opened keep their numbers; new ones get the new format."""
    fields = _clean(dict(fields))
    # the combination must give a number (a prefix alone never breaks it, but check both together)
    next_number_preview(
        settings_,
        number_prefix=fields.get("number_prefix"),
        number_format=fields.get("number_format"),
    )
    with transaction.atomic():
        changed = [name for name, value in fields.items() if getattr(settings_, name) != value]
        save_versioned(settings_, expected_version=expected_version, changes=fields, actor=actor)
        audit_record(
            action="case_settings.updated",
            actor=actor,
            tenant_id=settings_.tenant_id,
            obj=settings_,
            details={"fields": changed},
        )
    return settings_
