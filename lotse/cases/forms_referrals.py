"""Forms of the referrals (Verweisberatung) of a case."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotse.cases.domains import LifeDomain
from lotse.cases.forms import DateInput
from lotse.cases.models import REFERRAL_TRANSITIONS, Referral, ReferralStatus
from lotse.network.models import Agency
from lotse.ui.forms import KernFormMixin, VersionField

ANONYMOUS_NO_IDENTITY = _("This client is counselled anonymously; there is no identity to pass on.")


class ReferralForm(KernFormMixin, forms.Form):
    """Send a referral. Only the tenant's active agencies are offered (and accepted); only a
    coordinator gets the override reason, which lets the identity pass without a release."""

    agency = forms.ModelChoiceField(label=_("Partner agency"), queryset=Agency.objects.none())
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "–"), *LifeDomain.choices])
    with_identity = forms.BooleanField(
        label=_("Pass on the client's identity"),
        required=False,
        help_text=_("Needs a valid release (Schweigepflichtentbindung) of the client for this agency and topic."),
    )
    sent_on = forms.DateField(label=_("Sent on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(
        label=pgettext_lazy("free-text field", "Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the agency is asked to do. No more personal data than needed."),
    )
    # coordinators only (removed for everyone else)
    override_reason = forms.CharField(
        label=_("Reason for passing on the identity without a release (coordinator override)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Only when the identity must be passed on and no valid release exists. The reason is logged and "
            "shown to the case manager."
        ),
    )

    def __init__(
        self, *args: Any, agencies: QuerySet[Agency], anonymous: bool, is_coordinator: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = agencies
        self.anonymous = anonymous
        if anonymous:
            self.fields["with_identity"].disabled = True
            self.fields["with_identity"].help_text = ANONYMOUS_NO_IDENTITY
        if not is_coordinator or anonymous:
            del self.fields["override_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # a disabled field ignores the submitted value: refuse a crafted request instead of
        # quietly sending the referral without identity
        if self.anonymous and self.data.get("with_identity") not in (None, "", "false", "off", "0"):
            raise forms.ValidationError(ANONYMOUS_NO_IDENTITY)
        return data


class TransitionField(forms.ChoiceField):
    """Offers only the next states allowed for the referral, but accepts every known status:
    whether the move is allowed is the service's decision, with its own clear message."""

    def valid_value(self, value: Any) -> bool:
        return value in ReferralStatus.values


class ReferralStatusForm(KernFormMixin, forms.Form):
    status = TransitionField(label=_("New status"), widget=forms.RadioSelect)
    decline_reason = forms.CharField(
        label=_("Reason for declining"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the agency declined."),
    )
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What came of the referral, when it is done."),
    )
    version = VersionField()

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = REFERRAL_TRANSITIONS.get(referral.status, frozenset())
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [(s.value, s.label) for s in ReferralStatus if s in allowed]
        if ReferralStatus.DECLINED not in allowed:
            del self.fields["decline_reason"]
        if ReferralStatus.DONE not in allowed:
            del self.fields["outcome"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        declined = data.get("status") == ReferralStatus.DECLINED and "decline_reason" in self.fields
        if declined and not data.get("decline_reason", "").strip():
            self.add_error("decline_reason", _("Give the reason the agency declined."))
        return data
