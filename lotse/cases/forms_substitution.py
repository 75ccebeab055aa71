"""Forms of the substitution page (Vertretung) and of the tenant's case settings."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.accounts.models import User
from lotse.cases.forms import DateInput
from lotse.cases.services.settings import (
    INTERVAL_MAX_DAYS,
    INTERVAL_MIN_DAYS,
    PREFIX_MAX_LENGTH,
    check_number_format,
)
from lotse.tenants.models import Membership, Role, Tenant
from lotse.ui.forms import KernFormMixin, VersionField


def substitute_candidates(tenant: Tenant, principal: Any) -> QuerySet[Membership]:
    """Who may be named: active case managers of the tenant at a contracted provider, not the
    principal. The service checks again; this only fills the choice list."""
    return (
        Membership.objects.filter(
            tenant=tenant,
            role=Role.CASE_MANAGER,
            is_active=True,
            accepted_at__isnull=False,
            user__is_active=True,
            provider__is_contracted=True,
        )
        .exclude(user=principal)
        .select_related("user", "provider")
        .order_by("user__sort_name", "user__pk")
    )


def person_label(user: User) -> str:
    return user.get_full_name() or user.username


class NominateForm(KernFormMixin, forms.Form):
    """The substitute is posted as a plain user id: the choice list shows only who may be named,
    and any other id reaches the service, which refuses it with its own message (another
    provider outside the cooperation contract, another tenant, oneself)."""

    substitute = forms.IntegerField(label=_("Case manager"), min_value=1, widget=forms.Select)

    def __init__(
        self, *args: Any, tenant: Tenant, principal: Any, named: frozenset[int] = frozenset(), **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "nominate")
        super().__init__(*args, **kwargs)
        choices: list[tuple[Any, str]] = [("", "–")]
        for membership in substitute_candidates(tenant, principal):
            if membership.user_id in named or membership.provider is None:
                continue
            choices.append((membership.user_id, f"{person_label(membership.user)} ({membership.provider.name})"))
        self.fields["substitute"].widget.choices = choices
        self.has_candidates = len(choices) > 1


class AbsenceForm(KernFormMixin, forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Until (inclusive)"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "absence")
        super().__init__(*args, **kwargs)

    def clean_ends_on(self) -> datetime.date:
        ends_on: datetime.date = self.cleaned_data["ends_on"]
        if ends_on < timezone.localdate():
            raise forms.ValidationError(_("This period is already over."))
        return ends_on


class CaseSettingsForm(KernFormMixin, forms.Form):
    number_prefix = forms.CharField(label=_("Case number prefix"), max_length=PREFIX_MAX_LENGTH)
    number_format = forms.CharField(
        label=_("Case number format"),
        max_length=60,
        help_text=_(
            "Placeholders: {prefix}, {year} and {seq} (running number per year, required); "
            "{seq:05d} pads it to five digits, e.g. {prefix}-{year}-{seq:05d}."
        ),
    )
    reassessment_interval_days = forms.IntegerField(
        label=_("Re-assessment interval (days)"),
        min_value=INTERVAL_MIN_DAYS,
        max_value=INTERVAL_MAX_DAYS,
        help_text=_("After how many days a case is due for its next assessment."),
    )
    closure_requires_approval = forms.BooleanField(
        label=_("Closing a case needs the coordinator's approval"), required=False
    )
    version = VersionField()

    def clean_number_format(self) -> str:
        """Checked here too, so a bad format is reported together with the other fields (the
        service checks again)."""
        fmt: str = self.cleaned_data["number_format"].strip()
        check_number_format(fmt)
        return fmt
