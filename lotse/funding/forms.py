"""Forms of funding control. They validate input; the services (:mod:`lotse.funding.services`)
check again and write. Choices of providers and programmes come from the access scopes, so a
record of another district can never be chosen.

Amounts are typed the way the page's language writes them: on a German page "55.000,00",
"55000,00" or "55000.00", on an English page "55,000.00" or "55000.00" (:class:`AmountField`)."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext_lazy as _

from lotse.funding.models import (
    BaseRate,
    FundingProgramme,
    MonthRule,
    PaymentCall,
    Position,
    PositionType,
    RepaymentClaim,
)
from lotse.tenants.models import Provider
from lotse.ui.forms import KernFormMixin, VersionField, model_choice_field

# a programme's flat rates are kept per calendar year; more than this is a typing error
MAX_PROGRAMME_YEARS = 10


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def date_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


# --- amounts in the page's language -----------------------------------------------------------


def _grouped(digits: str, separator: str) -> str | None:
    """``digits`` without its thousand separators, or None if they are not in groups of three
    ("55.000" → "55000"; "5.50" → None)."""
    groups = digits.split(separator)
    if not 1 <= len(groups[0]) <= 3 or any(len(group) != 3 for group in groups[1:]):
        return None
    return "".join(groups)


def normalize_decimal(text: str) -> str | None:
    """A number typed in the active language as ``Decimal`` syntax, or None if it cannot be
    read unambiguously. Independent of ``USE_THOUSAND_SEPARATOR``:

    * German: "55.000,00", "55000,00" and – a single point not followed by exactly three digits
      being a decimal point, as Django reads it – "55000.00" and "1.5";
    * English: "55,000.00" and "55000.00"; "55000,00" is refused (a comma is a thousand separator
      there, and "000,00" no group of three)."""
    value = "".join(text.split())
    decimal_sep = str(get_format("DECIMAL_SEPARATOR"))
    thousand_sep = str(get_format("THOUSAND_SEPARATOR"))
    sign = ""
    if value[:1] in ("-", "+"):
        sign, value = value[0], value[1:]
    if not value:
        return None
    if thousand_sep == "." and decimal_sep not in value and value.count(".") == 1 and len(value.split(".")[1]) != 3:
        whole, fraction = value.split(".")
    elif decimal_sep in value:
        whole, fraction = value.split(decimal_sep, 1)
    else:
        whole, fraction = value, ""
    if thousand_sep and thousand_sep in whole:
        grouped = _grouped(whole, thousand_sep)
        if grouped is None:
            return None
        whole = grouped
    if (whole and not whole.isdigit()) or (fraction and not fraction.isdigit()) or not (whole or fraction):
        return None
    return f"{sign}{whole or '0'}.{fraction or '0'}"


class AmountField(forms.DecimalField):
    """A decimal number typed in the page's language (see :func:`normalize_decimal`), shown
    the same way (``55000,00`` on a German page)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = normalize_decimal(str(value))
        try:
            if text is None:
                raise InvalidOperation
            number = Decimal(text)
        except InvalidOperation as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"
        return attrs


def money_field(label: Any, *, required: bool = True, minimum: str = "0", help_text: Any = "") -> AmountField:
    return AmountField(
        label=label,
        required=required,
        max_digits=12,
        decimal_places=2,
        min_value=Decimal(minimum),
        help_text=help_text,
        error_messages={
            "invalid": _("Enter an amount in euros, e.g. 55000.00."),
            "min_value": _("The amount cannot be lower than %(limit_value)s."),
            "max_decimal_places": _("Enter the amount in euros and cents (at most 2 decimal places)."),
            "max_digits": _("The amount is too large."),
            "max_whole_digits": _("The amount is too large."),
        },
    )


def _tenant_choice(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    model_choice_field(form, name).queryset = queryset


# --- programmes and flat rates ----------------------------------------------------------------


class ProgrammeForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    name = forms.CharField(label=_("Name"), max_length=200, help_text=_("e.g. KIM Baustein 2 – Case Management"))
    reference = forms.CharField(label=_("File reference"), max_length=100, required=False)
    grantor = forms.CharField(label=_("Grant authority"), max_length=200, required=False)
    starts_on = date_field(_("Funding from"))
    ends_on = date_field(
        _("Funding until"),
        help_text=_(
            "Flat rates are kept per calendar year of this period; a new year gets the default rates, "
            "rates of years outside the period are removed."
        ),
    )
    month_rule = forms.ChoiceField(
        label=_("Counting of months"),
        choices=MonthRule.choices,
        initial=MonthRule.ANY_DAY,
        widget=forms.RadioSelect,
        help_text=_(
            "Which months of a position count for the pro-rata grant (FTE × annual rate × counted months ÷ 12, "
            "per calendar year). Example: a position from 16 February to 31 December counts 11 months if every "
            "month with at least one day counts, 10 if only complete months count, and 10 if a month needs "
            "at least 15 days (February then has 13)."
        ),
    )
    repayment_months = forms.IntegerField(
        label=_("Unspent funds to be repaid within (months after the end of the period)"),
        min_value=0,
        max_value=12,
        initial=1,
    )
    interest_points = AmountField(
        label=_("Interest on repayment claims: percentage points above the base rate"),
        max_digits=4,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("20"),
        initial=Decimal("5.00"),
        error_messages={"invalid": _("Enter the percentage points as a number, e.g. 5.")},
    )

    FIELDS = (
        "name",
        "reference",
        "grantor",
        "starts_on",
        "ends_on",
        "month_rule",
        "repayment_months",
        "interest_points",
    )

    def __init__(
        self,
        *args: Any,
        programmes: QuerySet[FundingProgramme],
        instance: FundingProgramme | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial", {"version": instance.version, **{n: getattr(instance, n) for n in self.FIELDS}}
            )
        super().__init__(*args, **kwargs)
        self.programmes = programmes
        self.instance = instance

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = self.programmes.filter(name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("A funding programme of this name already exists. Choose another name."))
        return name

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end:
            if end < start:
                self.add_error("ends_on", _("The end of the period lies before its start."))
            elif end.year - start.year >= MAX_PROGRAMME_YEARS:
                self.add_error(
                    "ends_on",
                    _("A programme period spans at most %(years)s calendar years.") % {"years": MAX_PROGRAMME_YEARS},
                )
        return data

    def programme_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


def rate_field_name(year: int, position_type: str) -> str:
    return f"rate_{year}_{position_type}"


class RatesForm(KernFormMixin, forms.Form):
    """The flat rates of a programme: one amount per year of its period and position type.
    A blank amount means no rate (the position type is not funded in that year)."""

    mark_optional = False
    version = VersionField(required=False)

    def __init__(
        self, *args: Any, programme: FundingProgramme, rates: dict[tuple[int, str], Decimal], **kwargs: Any
    ) -> None:
        initial: dict[str, Any] = {"version": programme.version}
        self.years = list(range(programme.starts_on.year, programme.ends_on.year + 1))
        for year in self.years:
            for position_type in PositionType.values:
                initial[rate_field_name(year, position_type)] = rates.get((year, position_type))
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        for year in self.years:
            for position_type, label in PositionType.choices:
                field = money_field(
                    _("%(type)s, %(year)s (EUR per FTE and year)") % {"type": label, "year": year}, required=False
                )
                self.fields[rate_field_name(year, position_type)] = field
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("version") and "version" not in self.errors:
            # without the version the form was not loaded from this page: save nothing
            raise forms.ValidationError(_("The form is out of date. Reload the page and enter the rates again."))
        return data

    def rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        """The table: per year, the bound fields of the position types (in column order)."""
        return [(year, [self[rate_field_name(year, t)] for t in PositionType.values]) for year in self.years]

    def amounts(self) -> dict[tuple[int, str], Decimal | None]:
        return {
            (year, t): self.cleaned_data.get(rate_field_name(year, t))
            for year in self.years
            for t in PositionType.values
        }


# --- positions --------------------------------------------------------------------------------


class PositionForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=FundingProgramme.objects.none())
    position_type = forms.ChoiceField(label=_("Position type"), choices=[("", "–"), *PositionType.choices])
    fte = AmountField(
        label=_("Full-time equivalents (FTE)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        max_value=Decimal("100"),
        help_text=_("e.g. 1 for a full-time position, 0.5 for half-time, 7 for seven full-time posts."),
        error_messages={
            "invalid": _("Enter the full-time equivalents as a number, e.g. 0.75."),
            "min_value": _("Enter at least 0.01 full-time equivalents."),
            "max_value": _("Enter at most 100 full-time equivalents."),
            "max_decimal_places": _("Enter the full-time equivalents with at most 2 decimal places."),
            "max_digits": _("Enter at most 100 full-time equivalents."),
            "max_whole_digits": _("Enter at most 100 full-time equivalents."),
        },
    )
    starts_on = date_field(_("From"))
    ends_on = date_field(_("Until"), required=False, help_text=_("Leave blank while the position runs."))
    person = forms.CharField(
        label=_("Person"),
        max_length=200,
        required=False,
        help_text=_("Name of the post holder, if the proof of use needs it."),
    )
    additional_staff = forms.BooleanField(label=_("Declared as additional staff"), required=False)

    FIELDS = ("provider", "programme", "position_type", "fte", "starts_on", "ends_on", "person", "additional_staff")

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Any],
        programmes: QuerySet[FundingProgramme],
        instance: Position | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            initial = {"version": instance.version, **{n: getattr(instance, n) for n in self.FIELDS}}
            kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        _tenant_choice(self, "provider", providers.order_by("name", "pk"))
        _tenant_choice(self, "programme", programmes.order_by("-starts_on", "name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, programme = data.get("starts_on"), data.get("ends_on"), data.get("programme")
        if start and end and end < start:
            self.add_error("ends_on", _("The end lies before the start."))
        elif programme is not None and (message := position_outside_programme(programme, start, end)):
            start_outside = start is not None and not programme.starts_on <= start <= programme.ends_on
            self.add_error("starts_on" if start_outside else "ends_on", message)
        return data

    def position_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["person"] = data["person"].strip()
        return data


def position_outside_programme(
    programme: FundingProgramme, start: datetime.date | None, end: datetime.date | None
) -> str | None:
    """The message if a position's dates leave the programme's period, else None."""
    if (start and not programme.starts_on <= start <= programme.ends_on) or (end and end > programme.ends_on):
        return str(
            _("The dates must lie within the programme period from %(start)s to %(end)s.")
            % {
                "start": date_format(programme.starts_on, "SHORT_DATE_FORMAT"),
                "end": date_format(programme.ends_on, "SHORT_DATE_FORMAT"),
            }
        )
    return None


class PositionFilterForm(KernFormMixin, forms.Form):
    mark_optional = False
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("all")
    )
    programme = forms.ModelChoiceField(
        label=_("Funding programme"), queryset=FundingProgramme.objects.none(), required=False, empty_label=_("all")
    )
    position_type = forms.ChoiceField(
        label=_("Position type"), choices=[("", _("all")), *PositionType.choices], required=False
    )
    year = forms.IntegerField(
        label=_("Year of the months and grant"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("Blank: the current year of each programme."),
    )

    def __init__(
        self, *args: Any, providers: QuerySet[Any], programmes: QuerySet[FundingProgramme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _tenant_choice(self, "provider", providers.order_by("name", "pk"))
        _tenant_choice(self, "programme", programmes.order_by("-starts_on", "name"))


# --- payment calls ----------------------------------------------------------------------------


class PaymentForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=FundingProgramme.objects.none())
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    due_on = date_field(_("Call on"), help_text=_("e.g. 1 May and 1 October"))
    planned_amount = money_field(_("Planned amount (EUR)"))
    received_on = date_field(_("Received on"), required=False)
    received_amount = money_field(_("Received amount (EUR)"), required=False)

    FIELDS = ("programme", "provider", "due_on", "planned_amount", "received_on", "received_amount")

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Any],
        programmes: QuerySet[FundingProgramme],
        instance: PaymentCall | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial", {"version": instance.version, **{n: getattr(instance, n) for n in self.FIELDS}}
            )
        super().__init__(*args, **kwargs)
        _tenant_choice(self, "provider", providers.order_by("name", "pk"))
        _tenant_choice(self, "programme", programmes.order_by("-starts_on", "name"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = "received_on" in data and "received_amount" in data
        if both and (data["received_on"] is None) != (data["received_amount"] is None):
            field = "received_amount" if data["received_amount"] is None else "received_on"
            self.add_error(field, _("Enter both the date and the amount received, or neither."))
        return data

    def payment_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class PaymentFilterForm(KernFormMixin, forms.Form):
    mark_optional = False
    programme = forms.ModelChoiceField(
        label=_("Funding programme"), queryset=FundingProgramme.objects.none(), required=False, empty_label=_("all")
    )
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("all")
    )

    def __init__(
        self, *args: Any, providers: QuerySet[Any], programmes: QuerySet[FundingProgramme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _tenant_choice(self, "provider", providers.order_by("name", "pk"))
        _tenant_choice(self, "programme", programmes.order_by("-starts_on", "name"))


# --- base rates -------------------------------------------------------------------------------


class BaseRateForm(KernFormMixin, forms.Form):
    valid_from = date_field(_("Valid from"), help_text=_("The base rate changes on 1 January and 1 July."))
    rate = AmountField(
        label=_("Base rate (percent)"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("-10"),
        max_value=Decimal("20"),
        help_text=_("As published by the Deutsche Bundesbank, e.g. 1.27 or -0.88."),
        error_messages={
            "invalid": _("Enter the base rate in percent, e.g. 1.27."),
            "max_decimal_places": _("Enter the base rate with at most 2 decimal places."),
        },
    )

    def __init__(self, *args: Any, base_rates: QuerySet[BaseRate], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.base_rates = base_rates

    def clean_valid_from(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["valid_from"]
        if self.base_rates.filter(valid_from=day).exists():
            raise forms.ValidationError(
                _("A base rate valid from this date already exists. Delete it first to enter another value.")
            )
        return day


# --- repayment claims -------------------------------------------------------------------------


class ClaimForm(KernFormMixin, forms.Form):
    version = VersionField(required=False)
    programme = forms.ModelChoiceField(label=_("Funding programme"), queryset=FundingProgramme.objects.none())
    provider = forms.ModelChoiceField(label=_("Provider"), queryset=Provider.objects.none())
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("e.g. funds not spent in 2025; no personal data.")
    )
    amount = money_field(_("Amount (EUR)"), minimum="0.01")
    due_on = date_field(_("To be repaid by"))
    interest_from = date_field(
        _("Interest from"), help_text=_("The first day with interest (counted); usually the day after the due date.")
    )
    paid_on = date_field(
        _("Repaid on"), required=False, help_text=_("Interest runs until this day (the day itself is not counted).")
    )

    FIELDS = ("programme", "provider", "reason", "amount", "due_on", "interest_from", "paid_on")

    def __init__(
        self,
        *args: Any,
        providers: QuerySet[Any],
        programmes: QuerySet[FundingProgramme],
        instance: RepaymentClaim | None = None,
        **kwargs: Any,
    ) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial", {"version": instance.version, **{n: getattr(instance, n) for n in self.FIELDS}}
            )
        super().__init__(*args, **kwargs)
        _tenant_choice(self, "provider", providers.order_by("name", "pk"))
        _tenant_choice(self, "programme", programmes.order_by("-starts_on", "name"))

    def claim_fields(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.FIELDS}
        data["reason"] = data["reason"].strip()
        return data
