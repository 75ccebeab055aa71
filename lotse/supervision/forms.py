"""The filter of the supervision pages: period and (for coordinators) provider."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from lotse.supervision.selectors import Period, default_period
from lotse.tenants.models import Provider
from lotse.ui.forms import KernFormMixin, model_choice_field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class SupervisionFilterForm(KernFormMixin, forms.Form):
    """Always bound: empty dates are filled with the default period (the last twelve months),
    so the inputs show the period the figures cover."""

    mark_optional = False
    EARLIEST = datetime.date(2000, 1, 1)
    LATEST = datetime.date(2999, 12, 31)
    MAX_DAYS = 3653

    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    provider = forms.ModelChoiceField(
        label=_("Provider"), queryset=Provider.objects.none(), required=False, empty_label=_("all providers")
    )

    def __init__(self, query: QueryDict, *, providers: QuerySet[Provider] | None) -> None:
        """``providers`` = the choices (coordinators); ``None``: the provider is fixed (provider
        leads see their own provider only) and the field is left out."""
        data = query.copy()
        default = default_period()
        if not data.get("date_from"):
            data["date_from"] = default.start.isoformat()
        if not data.get("date_to"):
            data["date_to"] = default.end.isoformat()
        super().__init__(data)
        if providers is None:
            del self.fields["provider"]
        else:
            model_choice_field(self, "provider").queryset = providers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not self.EARLIEST <= value <= self.LATEST:
                self.add_error(name, _("Enter a date between 2000 and 2999."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date lies before the start date."))
        elif start and end and (end - start).days > self.MAX_DAYS:
            # the monthly charts get one row per month
            self.add_error("date_to", _("Choose a period of at most ten years."))
        return data

    def period(self) -> Period:
        """The chosen period; only after a successful ``is_valid()``."""
        return Period(self.cleaned_data["date_from"], self.cleaned_data["date_to"])

    def provider_id(self) -> int | None:
        provider = self.cleaned_data.get("provider")
        return provider.pk if provider is not None else None
