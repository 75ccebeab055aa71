"""The period form of the report pages (state controlling export, committee status report)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.access.context import AccessContext
from lotse.access.funding import report_tenants_scope
from lotse.access.permissions import Perm
from lotse.reports.indicators import Period
from lotse.ui.forms import KernFormMixin, choice_field

ISO_DATE = "%Y-%m-%d"
GERMAN_DATE = "%d.%m.%Y"
MAX_YEARS = 5


def default_period(today: datetime.date | None = None) -> Period:
    """The previous calendar year."""
    year = (today or timezone.localdate()).year - 1
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


def _date_field(label: Any) -> forms.DateField:
    """A date chosen with the browser's date picker (ISO); typed German dates are accepted too."""
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[ISO_DATE, GERMAN_DATE],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class PeriodForm(KernFormMixin, forms.Form):
    """Always bound (a GET form): empty dates are filled with the default period, the previous
    calendar year, so the inputs show the period the figures cover.

    State analysts may narrow the figures to one district (``tenant``; choices: the districts
    of :func:`~lotse.access.funding.report_tenants_scope`); for everybody else the field is left
    out and a ``tenant`` parameter is ignored."""

    mark_optional = False
    EARLIEST = datetime.date(2000, 1, 1)
    LATEST = datetime.date(2999, 12, 31)

    date_from = _date_field(_("From"))
    date_to = _date_field(_("Until"))
    tenant = forms.TypedChoiceField(label=_("District"), required=False, coerce=int, empty_value=None)

    def __init__(self, query: QueryDict | dict[str, Any] | None, *, ctx: AccessContext) -> None:
        data = QueryDict(mutable=True)
        if query is not None:
            for name in ("date_from", "date_to", "tenant"):
                value = query.get(name)
                if value not in (None, ""):
                    data[name] = value
        default = default_period()
        data.setdefault("date_from", default.start.isoformat())
        data.setdefault("date_to", default.end.isoformat())
        super().__init__(data)
        self.calendar_years_only = ctx.has(Perm.CROSS_TENANT_AGGREGATES)
        if ctx.has(Perm.CROSS_TENANT_AGGREGATES):
            tenants = report_tenants_scope(ctx).order_by("name").values_list("pk", "name")
            choice_field(self, "tenant").choices = [("", _("all districts")), *tenants]
        else:
            del self.fields["tenant"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not self.EARLIEST <= value <= self.LATEST:
                self.add_error(name, _("Enter a date between 2000 and 2999."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        elif start and end and end >= _years_later(start, MAX_YEARS):
            self.add_error("date_to", _("Choose a period of at most five years."))
        elif (
            start
            and end
            and self.calendar_years_only
            and not ((start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31) and start.year == end.year)
        ):
            # Figures leaving the district are suppressed per export; two exports of nested or
            # overlapping periods (March vs. March–April) would give a suppressed count away by
            # difference. So the state's export always covers exactly one calendar year.
            self.add_error("date_to", _("The state export covers exactly one calendar year: 1 January to 31 December."))
        return data

    def period(self) -> Period:
        """The chosen period; only after a successful ``is_valid()``."""
        return Period(self.cleaned_data["date_from"], self.cleaned_data["date_to"])

    def tenant_ids(self) -> list[int] | None:
        """The district chosen by a state analyst (``None``: all the user may see)."""
        tenant_id = self.cleaned_data.get("tenant")
        return [tenant_id] if tenant_id is not None else None

    def query(self) -> str:
        """The chosen period (and district) as a query string for download links."""
        params = QueryDict(mutable=True)
        params["date_from"] = self.cleaned_data["date_from"].isoformat()
        params["date_to"] = self.cleaned_data["date_to"].isoformat()
        if self.cleaned_data.get("tenant") is not None:
            params["tenant"] = str(self.cleaned_data["tenant"])
        return params.urlencode()
