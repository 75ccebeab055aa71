"""Forms of the proof of use. They validate input; :mod:`lotse.funding.services_proof` checks
again and writes.

Amounts accept the German and the English way of writing them: ``1.234,56``, ``1234,56``,
``1,234.56`` and ``1234.56`` are all 1234.56 EUR. A separator followed by exactly three digits
groups thousands (an amount in euros has at most two decimal places), so ``1.500`` and ``1,500``
are both 1500 EUR."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from lotse.funding.models import FundingProgramme, MaterialCategory, PositionType, ProofOfUse
from lotse.funding.proof import CATEGORY_ORDER, CONFIRMATION_FIELDS
from lotse.funding.services_proof import MONEY_FIELDS, MaterialEntry, check_money
from lotse.tenants.models import Provider
from lotse.ui.forms import KernFormMixin, VersionField, model_choice_field

MATERIAL_COLUMNS = ("planned_total", "planned_eligible", "actual_total", "actual_eligible")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:([.,])\d{3})(?:\1\d{3})*")


def confirmation_labels() -> dict[str, Any]:
    """The labels of the six boxes of IV (the model's field names, translated)."""
    return {name: getattr(ProofOfUse._meta.get_field(name), "verbose_name", name) for name in CONFIRMATION_FIELDS}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def parse_money(text: str) -> Decimal:
    """An amount in euros as typed (see the module docstring); raises ``ValueError`` with a
    reason code: ``negative`` or ``invalid``."""
    value = text.strip().replace("\u00a0", "").replace(" ", "").replace("\u202f", "")
    for suffix in ("€", "EUR", "Euro"):
        value = value.removesuffix(suffix)
    if value.startswith(("-", "−")):
        raise ValueError("negative")
    if not value or not re.fullmatch(r"[0-9.,]+", value):
        raise ValueError("invalid")
    whole, decimals = value, ""
    last = max(value.rfind("."), value.rfind(","))
    if last >= 0 and re.fullmatch(r"\d{1,2}", value[last + 1 :]):
        whole, decimals = value[:last], value[last + 1 :]
        if not whole:
            whole = "0"
        elif value[last] in whole and not re.fullmatch(r"\d+", whole):
            raise ValueError("invalid")  # "1.234.56": the same sign groups and separates
    if not re.fullmatch(r"\d+", whole):
        if not _GROUPED.fullmatch(whole):
            raise ValueError("invalid")
        whole = whole.replace(".", "").replace(",", "")
    try:
        return Decimal(f"{whole}.{decimals or '0'}")
    except InvalidOperation as exc:  # pragma: no cover - the patterns above admit digits only
        raise ValueError("invalid") from exc


class MoneyField(forms.Field):
    """An amount in euros (not negative, at most two decimal places)."""

    widget = forms.TextInput
    default_error_messages = {
        "invalid": _("Enter an amount in euros, e.g. 1.234,56."),
        "negative": _("The amount must not be negative."),
        "required": _("Enter an amount in euros (0 if there is none)."),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off", "maxlength": "30"}

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            # in the reader's notation (1234,56 on German pages); parse_money reads both
            return formats.number_format(value, decimal_pos=2)
        return value

    def to_python(self, value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            return value
        text = str(value).strip() if value is not None else ""
        if not text:
            return None
        if len(text) > 30:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            amount = parse_money(text)
        except ValueError as exc:
            code = str(exc)
            raise forms.ValidationError(self.error_messages[code], code=code) from exc
        try:
            return check_money(amount, "amount")
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["amount"][0], code="invalid") from exc


class ProofCreateForm(KernFormMixin, forms.Form):
    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=FundingProgramme.objects.none())
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    period_start = forms.DateField(
        label=_("Period from"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the funding period of the programme."),
    )
    period_end = forms.DateField(
        label=_("Period until"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty for the funding period of the programme."),
    )
    contract_date = forms.DateField(label=_("Cooperation contract of"), required=False, widget=DateInput())

    def __init__(self, *args: Any, programmes: QuerySet[Any], providers: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = programmes
        model_choice_field(self, "provider").queryset = providers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme = data.get("programme")
        if programme is not None:
            data["period_start"] = data.get("period_start") or programme.starts_on
            data["period_end"] = data.get("period_end") or programme.ends_on
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period lies before its start."))
        return data


class ProofEditForm(KernFormMixin, forms.Form):
    """The whole proof in one form: header, I, II (staff lines, material, income) and IV."""

    version = VersionField(required=False)
    contract_date = forms.DateField(label=_("Cooperation contract of"), required=False, widget=DateInput())
    activity_report = forms.CharField(
        label=_("I. Activity report"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Course of the measure, staff and partners, phases, response, results and deviations from the plan. "
            "The figures from the case data are added to the document automatically."
        ),
    )
    third_party_planned = MoneyField(label=_("Third-party funds, planned (EUR)"))
    third_party_actual = MoneyField(label=_("Third-party funds, settled (EUR)"))
    public_grant_name = forms.CharField(label=_("Other public funding by"), required=False, max_length=200)
    public_grant_planned = MoneyField(label=_("Other public funding, planned (EUR)"))
    public_grant_actual = MoneyField(label=_("Other public funding, settled (EUR)"))

    def __init__(self, *args: Any, proof: ProofOfUse, staff_lines: list[Any], material_lines: list[Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.proof = proof
        self.staff_lines = staff_lines
        for name in CONFIRMATION_FIELDS:
            self.fields[name] = forms.BooleanField(label=confirmation_labels()[name], required=False)
        types = dict(PositionType.choices)
        for line in staff_lines:
            position = line.position
            described = str(types.get(position.position_type, position.position_type))
            if position.person:
                described = f"{described}, {position.person}"
            described = f"{described}, {position.starts_on:%d.%m.%Y}"
            self.fields[f"staff_{line.pk}"] = MoneyField(
                label=_("Actual costs (EUR): %(position)s") % {"position": described}
            )
        existing = {line.category: line for line in material_lines}
        categories = dict(MaterialCategory.choices)
        labels = {
            "planned_total": _("%(category)s: planned (EUR)"),
            "planned_eligible": _("%(category)s: planned, eligible (EUR)"),
            "actual_total": _("%(category)s: settled (EUR)"),
            "actual_eligible": _("%(category)s: settled, eligible (EUR)"),
        }
        for category in CATEGORY_ORDER:
            for column in MATERIAL_COLUMNS:
                self.fields[f"material_{category}_{column}"] = MoneyField(
                    label=labels[column] % {"category": categories[category]}
                )
        if not self.is_bound:
            self.initial = {**self.initial_for(proof, staff_lines, existing), **self.initial}
        self.style_fields()

    @staticmethod
    def initial_for(proof: ProofOfUse, staff_lines: list[Any], material: dict[str, Any]) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": proof.version,
            "contract_date": proof.contract_date,
            "activity_report": proof.activity_report,
            "public_grant_name": proof.public_grant_name,
            **{name: getattr(proof, name) for name in MONEY_FIELDS},
            **{name: getattr(proof, name) for name in CONFIRMATION_FIELDS},
        }
        for line in staff_lines:
            initial[f"staff_{line.pk}"] = line.actual_total
        for category in CATEGORY_ORDER:
            found = material.get(category)
            for column in MATERIAL_COLUMNS:
                initial[f"material_{category}_{column}"] = getattr(found, column) if found else Decimal("0.00")
        return initial

    # --- rows for the template ---

    def staff_rows(self) -> list[dict[str, Any]]:
        return [{"line": line, "field": self[f"staff_{line.pk}"]} for line in self.staff_lines]

    def material_rows(self) -> list[dict[str, Any]]:
        labels = dict(MaterialCategory.choices)
        return [
            {
                "category": category,
                "label": labels[category],
                "fields": [self[f"material_{category}_{column}"] for column in MATERIAL_COLUMNS],
            }
            for category in CATEGORY_ORDER
        ]

    def confirmation_fields(self) -> list[Any]:
        return [self[name] for name in CONFIRMATION_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for category in CATEGORY_ORDER:
            prefix = f"material_{category}"
            for kind in ("planned", "actual"):
                total, eligible = data.get(f"{prefix}_{kind}_total"), data.get(f"{prefix}_{kind}_eligible")
                if total is not None and eligible is not None and eligible > total:
                    self.add_error(f"{prefix}_{kind}_eligible", _("The eligible part must not exceed the total."))
        return data

    # --- what the service gets ---

    def proof_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("contract_date", "activity_report", "public_grant_name", *MONEY_FIELDS, *CONFIRMATION_FIELDS)
        return {name: data[name] for name in names}

    def staff_amounts(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"staff_{line.pk}"] for line in self.staff_lines}

    def material_entries(self) -> dict[str, MaterialEntry]:
        data = self.cleaned_data
        return {
            category: MaterialEntry(**{column: data[f"material_{category}_{column}"] for column in MATERIAL_COLUMNS})
            for category in CATEGORY_ORDER
        }


class ConsolidatedForm(KernFormMixin, forms.Form):
    """Which consolidated proof: programme and period (GET)."""

    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=FundingProgramme.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DateInput())
    period_end = forms.DateField(label=_("Period until"), widget=DateInput())

    def __init__(self, *args: Any, programmes: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "programme").queryset = programmes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The end of the period lies before its start."))
        return data
