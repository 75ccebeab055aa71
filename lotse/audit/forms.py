from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.audit.actions import ACTIONS
from lotse.ui.forms import KernFormMixin, choice_field


class EventFilterForm(KernFormMixin, forms.Form):
    mark_optional = False

    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Person acting"), required=False, max_length=100)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object number"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, object_types: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups = sorted({code.split(".")[0] for code in ACTIONS})
        choice_field(self, "action").choices = (
            [("", _("all actions"))]
            + [(g, _("all of “%(group)s”") % {"group": g}) for g in groups]
            + sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda c: c[1])
        )
        choice_field(self, "object_type").choices = [("", _("all types")), *((t, t) for t in object_types)]

    EARLIEST = date(2000, 1, 1)
    LATEST = date(2999, 12, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("date_from", "date_to"):
            value = data.get(name)
            if value and not self.EARLIEST <= value <= self.LATEST:
                self.add_error(name, _("Enter a date between 2000 and 2999."))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", _("The end date lies before the start date."))
        return data
