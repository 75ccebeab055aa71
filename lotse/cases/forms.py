"""Forms of the case itself, the identity and the case work pages (assessment, goals)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lotse.accounts.models import User
from lotse.cases.domains import ClientLanguage, LifeDomain, NeedLevel
from lotse.cases.models import (
    CaseStatus,
    ClosureReason,
    GoalStatus,
    HandoverKind,
    HouseholdRelation,
    IntakeChannel,
    StepActor,
)
from lotse.network.models import Agency
from lotse.tenants.models import Location, Provider, Role, Tenant
from lotse.ui.forms import KernFormMixin, VersionField, choice_field, model_choice_field


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.username


def case_managers(tenant: Tenant) -> QuerySet[User]:
    """Active case managers of the tenant (for assignment, handover, substitution)."""
    return User.objects.filter(
        is_active=True,
        memberships__tenant=tenant,
        memberships__role=Role.CASE_MANAGER,
        memberships__is_active=True,
        memberships__accepted_at__isnull=False,
    ).order_by("sort_name", "pk")


def active_agencies(tenant: Tenant) -> QuerySet[Agency]:
    return Agency.objects.filter(tenant=tenant, is_active=True)


class CaseFilterForm(KernFormMixin, forms.Form):
    mark_optional = False

    q = forms.CharField(label=_("Case number or pseudonym"), required=False, max_length=80)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("open or closure requested")),
            *[(s.value, s.label) for s in CaseStatus],
            ("all", _("all")),
        ],
    )

    def __init__(self, *args: Any, tenant: Tenant, oversight: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if oversight:
            self.fields["provider"] = forms.ModelChoiceField(
                label=_("Provider"),
                required=False,
                queryset=Provider.objects.filter(tenant=tenant),
                empty_label=_("all providers"),
            )
            self.fields["case_manager"] = forms.ChoiceField(label=_("Case manager"), required=False)
            choice_field(self, "case_manager").choices = [
                ("", _("all case managers")),
                ("none", _("not assigned yet")),
                *[(str(u.pk), u.get_full_name() or u.username) for u in case_managers(tenant)],
            ]
            self.style_fields()
        self.oversight = oversight

    def filters(self, *, default_status: str) -> dict[str, Any]:
        """The arguments of ``selectors.case_list`` for what the form holds (the case list page
        and its export); only ``default_status`` when it is unbound or invalid."""
        if not (self.is_bound and self.is_valid()):
            return {"status": default_status}
        data = self.cleaned_data
        filters: dict[str, Any] = {"query": data["q"], "status": data["status"] or default_status}
        if self.oversight:
            filters["provider_id"] = data["provider"].pk if data.get("provider") else None
            filters["case_manager"] = data.get("case_manager") or ""
        return filters


class CaseDetailsForm(KernFormMixin, forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        max_length=80,
        help_text=_("A name for the case that does not identify the client, e.g. “Family from Aleppo 3”."),
    )
    location = forms.ModelChoiceField(label=_("Location"), required=False, queryset=Location.objects.none())
    intake_channel = forms.ChoiceField(label=_("Intake channel"), choices=IntakeChannel.choices)
    intake_agency = forms.ModelChoiceField(
        label=_("Referring agency"),
        required=False,
        queryset=Agency.objects.none(),
        help_text=_("Only when the client was referred by an agency."),
    )
    languages = forms.CharField(
        label=_("Languages of the client"), max_length=200, required=False, help_text=_("e.g. Arabic, Kurmanji")
    )
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    interpreter_language = forms.CharField(label=_("Interpreter language"), max_length=100, required=False)

    def __init__(self, *args: Any, tenant: Tenant, provider: Provider | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locations = Location.objects.filter(tenant=tenant, is_active=True)
        model_choice_field(self, "location").queryset = (
            locations.filter(provider=provider) if provider is not None else locations
        )
        model_choice_field(self, "intake_agency").queryset = active_agencies(tenant)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("intake_channel") == IntakeChannel.AGENCY and not data.get("intake_agency"):
            self.add_error("intake_agency", _("Choose the agency that referred the client."))
        if data.get("interpreter_needed") and not data.get("interpreter_language"):
            self.add_error("interpreter_language", _("Name the language the interpreter must speak."))
        return data


class CaseCreateForm(CaseDetailsForm):
    opened_on = forms.DateField(label=_("First contact on"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, tenant: Tenant, provider: Provider | None, **kwargs: Any) -> None:
        super().__init__(*args, tenant=tenant, provider=provider, **kwargs)
        if provider is None:  # coordinators open cases for a provider and may assign them at once
            self.fields["provider"] = forms.ModelChoiceField(
                label=_("Provider"), queryset=Provider.objects.filter(tenant=tenant, is_active=True)
            )
            self.fields["case_manager"] = UserChoiceField(
                label=_("Case manager"),
                required=False,
                queryset=case_managers(tenant),
                help_text=_("Leave empty to assign the case later."),
            )
            self.order_fields(["pseudonym", "provider", "case_manager"])
            self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        location, provider = data.get("location"), data.get("provider")
        if location is not None and provider is not None and location.provider_id != provider.pk:
            self.add_error("location", _("The location belongs to another provider."))
        return data


class CaseEditForm(CaseDetailsForm):
    version = VersionField()


class DuplicateCheckForm(KernFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput(), required=False)


class IdentityForm(KernFormMixin, forms.Form):
    given_name = forms.CharField(label=_("Given name"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DateInput(), required=False)
    nationality = forms.CharField(label=_("Nationality"), max_length=100, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.RegexField(
        label=_("Postal code"),
        regex=r"^\d{5}$",
        required=False,
        error_messages={"invalid": _("A German postal code has five digits.")},
    )
    city = forms.CharField(label=_("Town"), max_length=100, required=False)
    phone = forms.RegexField(
        label=_("Phone"),
        regex=r"^\+?[0-9 ()/\-]{3,30}$",
        required=False,
        error_messages={"invalid": _("Enter digits, spaces and + - / ( ) only.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    version = VersionField(min_value=0)

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("birth_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The birth date lies in the future."))
        if value and value.year < 1900:
            raise forms.ValidationError(_("Enter a birth date after 1900."))
        return value


class HouseholdForm(KernFormMixin, forms.Form):
    relation = forms.ChoiceField(label=_("Relation to the client"), choices=HouseholdRelation.choices)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    note = forms.CharField(
        label=pgettext_lazy("free-text field", "Note"),
        max_length=200,
        required=False,
        help_text=_("No names – e.g. “attends primary school”."),
    )


class AssessmentForm(KernFormMixin, forms.Form):
    """One need level, situation and resources per life domain. Health appears only when the
    client gave the explicit consent for health data."""

    assessed_on = forms.DateField(label=_("Date of the assessment"), widget=DateInput(), initial=timezone.localdate)

    def __init__(self, *args: Any, health_allowed: bool, previous: dict[str, Any] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        previous = previous or {}
        self.domains = [d for d in LifeDomain if health_allowed or d != LifeDomain.HEALTH]
        for domain in self.domains:
            self.fields[f"{domain.value}_need"] = forms.TypedChoiceField(
                label=_("Need"),
                choices=NeedLevel.choices,
                coerce=int,
                initial=previous.get(domain.value, NeedLevel.NONE),
            )
            self.fields[f"{domain.value}_situation"] = forms.CharField(
                label=_("Situation"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            )
            self.fields[f"{domain.value}_resources"] = forms.CharField(
                label=_("Resources"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
            )
        self.style_fields()

    def domain_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "domain": domain,
                "need": self[f"{domain.value}_need"],
                "situation": self[f"{domain.value}_situation"],
                "resources": self[f"{domain.value}_resources"],
            }
            for domain in self.domains
        ]

    def entries(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            d.value: {
                "need_level": data[f"{d.value}_need"],
                "situation": data[f"{d.value}_situation"],
                "resources": data[f"{d.value}_resources"],
            }
            for d in self.domains
        }


class GoalForm(KernFormMixin, forms.Form):
    domain = forms.ChoiceField(label=_("Life domain"), choices=LifeDomain.choices)
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DateInput(), initial=timezone.localdate)


class GoalEditForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)
    status = forms.ChoiceField(label=_("Status"), choices=GoalStatus.choices)
    version = VersionField()


class StepForm(KernFormMixin, forms.Form):
    text = forms.CharField(label=_("Step"), max_length=300)
    actor_kind = forms.ChoiceField(label=_("Who acts"), choices=StepActor.choices)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput(), required=False)


class PlanLanguageForm(KernFormMixin, forms.Form):
    language = forms.ChoiceField(label=_("Second language of the plan"), choices=ClientLanguage.choices)


class HandoverForm(KernFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Hand over"), choices=HandoverKind.choices, widget=forms.RadioSelect)
    to_user = UserChoiceField(label=_("Case manager"), required=False, queryset=User.objects.none())
    to_provider = forms.ModelChoiceField(label=_("Provider"), required=False, queryset=Provider.objects.none())
    to_agency = forms.ModelChoiceField(
        label=_("Agency with its own case management"), required=False, queryset=Agency.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    handed_on = forms.DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    version = VersionField()

    def __init__(self, *args: Any, tenant: Tenant, current_user_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "to_user").queryset = case_managers(tenant).exclude(pk=current_user_id or 0)
        model_choice_field(self, "to_provider").queryset = Provider.objects.filter(tenant=tenant, is_active=True)
        model_choice_field(self, "to_agency").queryset = active_agencies(tenant).filter(has_own_case_management=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        handed_on = data.get("handed_on")
        if handed_on and handed_on > timezone.localdate():
            self.add_error("handed_on", _("A handover cannot lie in the future."))
        needed = {"case_manager": "to_user", "provider": "to_provider", "agency": "to_agency"}.get(data.get("kind", ""))
        if needed and not data.get(needed):
            self.add_error(needed, _("Choose who takes over."))
        return data


class ClosureForm(KernFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closure"),
        choices=[c for c in ClosureReason.choices if c[0] != ClosureReason.CONSENT_REVOKED],
    )
    note = forms.CharField(
        label=_("Note on the closure"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )
    version = VersionField()

    def __init__(self, *args: Any, open_goals: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_goals = open_goals
        outcomes = [c for c in GoalStatus.choices if c[0] != GoalStatus.OPEN]
        for goal in open_goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Outcome: %(goal)s") % {"goal": goal.text[:120]}, choices=[("", "–"), *outcomes]
            )
        self.style_fields()

    def goal_outcomes(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data[f"goal_{goal.pk}"] for goal in self.open_goals}


class ClosureDecisionForm(KernFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve the closure")), ("reject", _("Return the case to the case manager"))],
        widget=forms.RadioSelect,
    )
    version = VersionField()


class ConfirmForm(KernFormMixin, forms.Form):
    """No fields: a confirmation page's form."""


class VersionOnlyForm(KernFormMixin, forms.Form):
    version = VersionField()


class AssignForm(KernFormMixin, forms.Form):
    case_manager = UserChoiceField(label=_("Case manager"), queryset=User.objects.none())
    version = VersionField()

    def __init__(self, *args: Any, tenant: Tenant, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        model_choice_field(self, "case_manager").queryset = case_managers(tenant)
