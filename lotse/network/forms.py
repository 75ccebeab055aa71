"""Forms of the partner directory."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lotse.network.models import Agency, AgencyKind
from lotse.ui.forms import KernFormMixin, VersionField


class AgencyFilterForm(KernFormMixin, forms.Form):
    mark_optional = False

    q = forms.CharField(label=_("Name or contact person"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("all types")), *AgencyKind.choices])
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("active", _("active")), ("inactive", _("inactive")), ("all", _("all"))],
    )


class AgencyForm(KernFormMixin, forms.ModelForm):
    """Create and edit an agency. The name's uniqueness in the tenant is checked by the service
    (:func:`lotse.network.services.agency_create`), which reports it on the name field."""

    version = VersionField(required=False)

    class Meta:
        model = Agency
        fields = [
            "name",
            "kind",
            "contact_person",
            "phone",
            "email",
            "address",
            "has_own_case_management",
            "is_active",
        ]
        help_texts = {
            "is_active": _("Inactive agencies stay in existing referrals but cannot receive new ones."),
        }

    def validate_unique(self) -> None:
        """Uniqueness is the service's check (it knows the tenant, the form does not)."""

    def agency_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}
