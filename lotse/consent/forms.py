"""Forms for recording consents (Einwilligung) and releases (Schweigepflichtentbindung) and for
choosing the language of the information sheet. They check the input; the rules of consent
(order of purposes, closed cases, dates) are the services' (lotse.consent.services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.domains import ClientLanguage, LifeDomain
from lotse.consent.models import ConsentPurpose
from lotse.network.models import Agency
from lotse.tenants.models import Tenant
from lotse.ui.forms import KernFormMixin, model_choice_field

ISO_DATE = "%Y-%m-%d"


def date_field(label: Any, *, required: bool = True, initial: Any = None, help_text: Any = "") -> forms.DateField:
    """A date chosen with the browser's date picker (``type="date"`` sends ISO dates); typed
    German dates are accepted too."""
    return forms.DateField(
        label=label,
        required=required,
        initial=initial,
        help_text=help_text,
        input_formats=[ISO_DATE, "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE),
    )


def language_field(label: Any, **kwargs: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", "–"), *ClientLanguage.choices], **kwargs)


class SheetLanguageForm(KernFormMixin, forms.Form):
    """Language of the information sheet to print (GET form on the consent page)."""

    mark_optional = False

    language = forms.ChoiceField(label=_("Language of the information sheet"), choices=ClientLanguage.choices)


PURPOSE_HELP = _(
    "Record the consent to processing first. Health data are a special category of personal data "
    "(Art. 9 GDPR): record the health consent only when the client has explicitly signed that section "
    "of the form."
)


class ConsentForm(KernFormMixin, forms.Form):
    purpose = forms.ChoiceField(
        label=_("Purpose of the consent"),
        widget=forms.RadioSelect,
        help_text=PURPOSE_HELP,
        choices=[
            (ConsentPurpose.PROCESSING.value, ConsentPurpose.PROCESSING.label),
            (
                ConsentPurpose.HEALTH.value,
                _("Explicit consent to the processing of health data (special category, Art. 9(2)(a) GDPR)"),
            ),
            (ConsentPurpose.CONTACT.value, ConsentPurpose.CONTACT.label),
        ],
    )
    language = language_field(_("Language of the signed form"))
    given_on = date_field(_("Signed on"), initial=timezone.localdate)


class ReleaseForm(KernFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Recipient agency"),
        queryset=Agency.objects.none(),
        help_text=_("Only the active agencies of the partner directory can be chosen."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics the release covers"),
        choices=LifeDomain.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The client's identity may be passed on to this agency for these topics only."),
    )
    language = language_field(_("Language of the signed form"))
    given_on = date_field(_("Signed on"), initial=timezone.localdate)
    valid_until = date_field(
        _("Valid until"),
        required=False,
        help_text=_("Leave empty if the release holds until it is revoked."),
    )

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "agency").queryset = Agency.objects.filter(tenant=tenant, is_active=True).order_by(
            "name"
        )
