"""Forms of the monitoring pages of a case: contacts, follow-ups (Wiedervorlagen) and the
structural barriers (Hemmnisse) recorded from a case. The services check again (last line)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotse.cases.domains import LifeDomain
from lotse.cases.models import Case, ContactKind
from lotse.network.models import Agency
from lotse.tenants.models import Municipality, Tenant
from lotse.ui.forms import KernFormMixin, model_choice_field

# Where a follow-up form or a "done" button sends the user back to (a fixed list, never a URL
# from the request: no open redirect).
BACK_CHOICES = [("contacts", "contacts"), ("detail", "detail"), ("due", "due")]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ContactForm(KernFormMixin, forms.Form):
    """Kontakt: one conversation or piece of work for the client."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    kind = forms.ChoiceField(label=_("Kind of contact"), choices=[("", "–"), *ContactKind.choices])
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=1,
        max_value=24 * 60,
        help_text=_("The contact itself: the conversation, the call, the accompaniment."),
    )
    effort_minutes = forms.IntegerField(
        label=_("Total effort (minutes)"),
        min_value=1,
        max_value=24 * 60,
        help_text=_("Including preparation, follow-up work and travel."),
    )
    interpreter_used = forms.BooleanField(label=_("Interpreter used"), required=False)
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=LifeDomain.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=pgettext_lazy("free-text field", "Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only what is needed for the work on the case."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        date_field = self.fields["occurred_on"]
        date_field.widget.attrs.update({"max": timezone.localdate().isoformat(), "min": case.opened_on.isoformat()})

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        duration, effort = data.get("duration_minutes"), data.get("effort_minutes")
        if duration is not None and effort is not None and effort < duration:
            self.add_error("effort_minutes", _("The total effort includes the contact itself and cannot be shorter."))
        return data


class FollowUpForm(KernFormMixin, forms.Form):
    """Wiedervorlage: a date on which something is to be done for the case."""

    due_on = forms.DateField(label=_("Due on"), widget=DateInput())
    note = forms.CharField(label=_("What is to be done"), max_length=300)
    back = forms.ChoiceField(choices=BACK_CHOICES, required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["due_on"].widget.attrs["min"] = timezone.localdate().isoformat()

    def clean_due_on(self) -> datetime.date:
        due_on: datetime.date = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(_("A follow-up date cannot lie in the past."))
        return due_on


class BackForm(forms.Form):
    """The hidden "back" field of the small POST forms (follow-up done)."""

    back = forms.ChoiceField(choices=BACK_CHOICES, required=False)


class BarrierForm(KernFormMixin, forms.Form):
    """Hemmnis: a structural barrier seen in the case."""

    domain = forms.ChoiceField(label=_("Life domain"), choices=[("", "–"), *LifeDomain.choices])
    agency = forms.ModelChoiceField(
        label=_("Institution concerned"),
        queryset=Agency.objects.none(),
        required=False,
        help_text=_("From the partner directory."),
    )
    institution = forms.CharField(
        label=_("Institution (if not in the directory)"),
        max_length=200,
        required=False,
    )
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none(), required=False)
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Describe the structural barrier, not the client."),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = Agency.objects.filter(tenant=tenant, is_active=True)
        model_choice_field(self, "municipality").queryset = Municipality.objects.filter(tenant=tenant, is_active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "agency" in data and not data.get("agency") and not (data.get("institution") or "").strip():
            self.add_error(
                "institution",
                _("Name the institution concerned: choose it from the directory or type its name."),
            )
        return data
