"""Forms of the privacy pages (KERN-UX); the services validate again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.privacy.models import RequestKind
from lotse.privacy.services import MAX_RETENTION_MONTHS
from lotse.ui.forms import KernFormMixin, VersionField


class RequestForm(KernFormMixin, forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=120,
        help_text=_("File reference or date of the client's request. Do not enter the client's name."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the case is looked at, e.g. the client's letter. Do not enter the client's name."),
    )


class RestrictForm(KernFormMixin, forms.Form):
    version = VersionField()
    reason = forms.CharField(label=_("Reason for the restriction"), max_length=300)


class VersionOnlyForm(KernFormMixin, forms.Form):
    version = VersionField()


class RectifyForm(KernFormMixin, forms.Form):
    version = VersionField()
    identity_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    pseudonym = forms.CharField(label=_("Pseudonym"), max_length=80)
    languages = forms.CharField(label=_("Languages"), max_length=200, required=False)
    interpreter_language = forms.CharField(label=_("Interpreter language"), max_length=100, required=False)
    closure_note = forms.CharField(
        label=_("Note on the closure"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    reason = forms.CharField(label=_("Reason for the rectification"), widget=forms.Textarea(attrs={"rows": 2}))

    IDENTITY = (
        ("given_name", _("Given name"), True),
        ("family_name", _("Family name"), True),
        ("nationality", _("Nationality"), False),
        ("street", _("Street"), False),
        ("postal_code", _("Postal code"), False),
        ("city", _("City"), False),
        ("phone", _("Phone"), False),
        ("email", _("E-mail"), False),
    )

    def __init__(self, *args: Any, with_identity: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.with_identity = with_identity
        if with_identity:
            for name, label, required in self.IDENTITY:
                self.fields[name] = forms.CharField(label=label, max_length=200, required=required)
            self.fields["birth_date"] = forms.DateField(label=_("Birth date"), required=False)
            # the reason last
            self.fields["reason"] = self.fields.pop("reason")
            self.style_fields()


class RetentionForm(KernFormMixin, forms.Form):
    version = VersionField()
    months = forms.IntegerField(
        label=_("Months after closure"),
        min_value=0,
        max_value=MAX_RETENTION_MONTHS,
        help_text=_("Closed cases are anonymised this many months after closure. 0 switches the rule off."),
    )
