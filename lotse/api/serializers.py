"""Serializers of the REST API. Every serializer lists its fields explicitly; tenant, case
manager, consent state, anonymisation and restriction are read-only everywhere, so extra fields
in a write change nothing. Write serializers repeat the rules of the forms (``lotse.cases.forms``,
``lotse.cases.forms_monitoring``); the services check again as the last line."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.utils import timezone
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from lotse.cases.domains import LifeDomain
from lotse.cases.models import (
    Barrier,
    Case,
    CaseStatus,
    Contact,
    ContactKind,
    Goal,
    GoalStatus,
    IntakeChannel,
    Referral,
    ReferralStatus,
)
from lotse.funding.models import Position, PositionType
from lotse.network.models import Agency, AgencyKind
from lotse.steering.models import Theme, ThemeStatus

MAX_ID = 2**63 - 1


def _(text: str) -> str:
    """A lazy translation typed as ``str`` for the DRF stubs (translated when rendered)."""
    return cast(str, gettext_lazy(text))


class HideForOversightMixin:
    """Free texts about the client (notes, goal texts) are not shown to coordinators, as in the
    UI: the value is ``null`` for them."""

    hidden_for_oversight: tuple[str, ...] = ()

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)  # type: ignore[misc]
        if self.context.get("oversight"):  # type: ignore[attr-defined]
            for name in self.hidden_for_oversight:
                data[name] = None
        return data


# --- cases ---------------------------------------------------------------------------------------


class CaseSerializer(serializers.ModelSerializer[Case]):
    """A case, pseudonymised: number and pseudonym, never the identity."""

    is_restricted = serializers.BooleanField(read_only=True)
    closure_reason = serializers.CharField(read_only=True, help_text=_("Empty while the case is open."))
    provider_name = serializers.CharField(source="provider.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "pseudonym",
            "status",
            "is_anonymous",
            "is_restricted",
            "anonymised_at",
            "restricted_at",
            "case_manager",
            "provider",
            "provider_name",
            "location",
            "intake_channel",
            "intake_agency",
            "languages",
            "interpreter_needed",
            "interpreter_language",
            "opened_on",
            "next_follow_up_on",
            "next_reassessment_on",
            "closure_reason",
            "closed_on",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


def _pk(queryset: Any, **kwargs: Any) -> serializers.PrimaryKeyRelatedField[Any]:
    return serializers.PrimaryKeyRelatedField(queryset=queryset, **kwargs)


class CaseWriteSerializer(serializers.Serializer[Any]):
    """The fields of ``CaseCreateForm``/``CaseEditForm``. ``provider`` is only for
    coordinators opening a case (case managers open cases for their own provider);
    ``version`` is required for updates."""

    pseudonym = serializers.CharField(
        max_length=80, help_text=_("A name for the case that does not identify the client.")
    )
    provider = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    location = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    intake_channel = serializers.ChoiceField(choices=IntakeChannel.choices)
    intake_agency = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    languages = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    interpreter_needed = serializers.BooleanField(required=False, default=False)
    interpreter_language = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    opened_on = serializers.DateField(required=False, help_text=_("Only when opening a case; default today."))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors: dict[str, str] = {}
        channel = attrs.get("intake_channel")
        if channel == IntakeChannel.AGENCY and not attrs.get("intake_agency"):
            errors["intake_agency"] = str(_("Choose the agency that referred the client."))
        if attrs.get("interpreter_needed") and not (attrs.get("interpreter_language") or "").strip():
            errors["interpreter_language"] = str(_("Name the language the interpreter must speak."))
        opened_on = attrs.get("opened_on")
        if opened_on is not None and opened_on > timezone.localdate():
            errors["opened_on"] = str(_("A case cannot be opened in the future."))
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class CaseUpdateSerializer(CaseWriteSerializer):
    """PUT: every detail field and the ``version`` the change is based on."""

    provider = None  # type: ignore[assignment]
    opened_on = None  # type: ignore[assignment]
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text=_("The version you changed."))


class CasePatchSerializer(CaseUpdateSerializer):
    """PATCH: only the changed detail fields, and the ``version`` the change is based on."""

    pseudonym = serializers.CharField(max_length=80, required=False)
    intake_channel = serializers.ChoiceField(choices=IntakeChannel.choices, required=False)


class IdentitySerializer(serializers.Serializer[Any]):
    """The client's identity; each read is audited (``identity.viewed``)."""

    recorded = serializers.BooleanField(help_text=_("False for anonymous counselling: no identity stored."))
    given_name = serializers.CharField(allow_null=True)
    family_name = serializers.CharField(allow_null=True)
    birth_date = serializers.DateField(allow_null=True)
    nationality = serializers.CharField(allow_null=True)
    street = serializers.CharField(allow_null=True)
    postal_code = serializers.CharField(allow_null=True)
    city = serializers.CharField(allow_null=True)
    phone = serializers.CharField(allow_null=True)
    email = serializers.CharField(allow_null=True)


# --- case work -----------------------------------------------------------------------------------


class ContactSerializer(HideForOversightMixin, serializers.ModelSerializer[Contact]):
    hidden_for_oversight = ("note",)
    note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Contact
        fields = [
            "id",
            "case",
            "occurred_on",
            "kind",
            "duration_minutes",
            "effort_minutes",
            "interpreter_used",
            "topics",
            "note",
            "created_at",
        ]
        read_only_fields = fields


class ContactWriteSerializer(serializers.Serializer[Any]):
    """The fields of ``ContactForm``."""

    case = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    occurred_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    duration_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    effort_minutes = serializers.IntegerField(min_value=1, max_value=24 * 60)
    interpreter_used = serializers.BooleanField(required=False, default=False)
    topics = serializers.ListField(
        child=serializers.ChoiceField(choices=LifeDomain.choices), required=False, default=list, max_length=20
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["effort_minutes"] < attrs["duration_minutes"]:
            raise serializers.ValidationError(
                {"effort_minutes": str(_("The total effort includes the contact itself and cannot be shorter."))}
            )
        return attrs


class GoalSerializer(HideForOversightMixin, serializers.ModelSerializer[Goal]):
    hidden_for_oversight = ("text",)
    text = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "case", "domain", "text", "status", "agreed_on", "version", "updated_at"]
        read_only_fields = fields


class GoalWriteSerializer(serializers.Serializer[Any]):
    """The fields of ``GoalForm``."""

    case = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    domain = serializers.ChoiceField(choices=LifeDomain.choices)
    text = serializers.CharField(max_length=1000)
    agreed_on = serializers.DateField(required=False, help_text=_("Default today; not in the future."))

    def validate_agreed_on(self, value: datetime.date) -> datetime.date:
        if value > timezone.localdate():
            raise serializers.ValidationError(str(_("A goal cannot be agreed in the future.")))
        return value


class ReferralSerializer(HideForOversightMixin, serializers.ModelSerializer[Referral]):
    hidden_for_oversight = ("note",)
    note = serializers.CharField(allow_null=True, read_only=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "agency",
            "topic",
            "with_identity",
            "status",
            "sent_on",
            "note",
            "decline_reason",
            "outcome",
            "version",
        ]
        read_only_fields = fields


class BarrierSerializer(serializers.ModelSerializer[Barrier]):
    class Meta:
        model = Barrier
        fields = [
            "id",
            "case",
            "provider",
            "municipality",
            "domain",
            "agency",
            "institution",
            "description",
            "recorded_on",
            "theme",
        ]
        read_only_fields = fields


class ThemeSerializer(serializers.ModelSerializer[Theme]):
    class Meta:
        model = Theme
        fields = [
            "id",
            "title",
            "description",
            "status",
            "level",
            "responsible_body",
            "next_step",
            "due_on",
            "merged_into",
            "created_at",
        ]
        read_only_fields = fields


class AgencySerializer(serializers.ModelSerializer[Agency]):
    class Meta:
        model = Agency
        fields = [
            "id",
            "name",
            "kind",
            "contact_person",
            "phone",
            "email",
            "address",
            "has_own_case_management",
            "is_active",
        ]
        read_only_fields = fields


class PositionSerializer(serializers.ModelSerializer[Position]):
    class Meta:
        model = Position
        fields = [
            "id",
            "provider",
            "programme",
            "position_type",
            "fte",
            "starts_on",
            "ends_on",
            "person",
            "additional_staff",
        ]
        read_only_fields = fields


# --- filters (query parameters; unknown values answer 400) ---------------------------------------


class SearchText(serializers.CharField):
    """A search text of at most ``max_length`` characters *as sent* (the schema's maxLength),
    blanks at either end then dropped. A plain CharField trims first and so accepted longer
    values than the schema allows."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, allow_blank=True, max_length=80, trim_whitespace=False, **kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        value = super().run_validation(data)
        return value.strip() if isinstance(value, str) else value


class CaseFilter(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=CaseStatus.choices, required=False)
    provider = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    opened_from = serializers.DateField(required=False)
    opened_to = serializers.DateField(required=False)
    q = SearchText(help_text=_("Part of the case number or pseudonym."))


class CaseChildFilter(serializers.Serializer[Any]):
    case = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ContactFilter(CaseChildFilter):
    kind = serializers.ChoiceField(choices=ContactKind.choices, required=False)
    occurred_from = serializers.DateField(required=False)
    occurred_to = serializers.DateField(required=False)


class GoalFilter(CaseChildFilter):
    domain = serializers.ChoiceField(choices=LifeDomain.choices, required=False)
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)


class ReferralFilter(CaseChildFilter):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False)
    agency = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class BarrierFilter(CaseChildFilter):
    domain = serializers.ChoiceField(choices=LifeDomain.choices, required=False)
    theme = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class ThemeFilter(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=ThemeStatus.choices, required=False)
    level = serializers.IntegerField(required=False, min_value=1, max_value=5)


class AgencyFilter(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=AgencyKind.choices, required=False)
    is_active = serializers.ChoiceField(choices=[("true", "true"), ("false", "false")], required=False)
    q = SearchText(help_text=_("Part of the name or contact person."))


class PositionFilter(serializers.Serializer[Any]):
    provider = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    programme = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    position_type = serializers.ChoiceField(choices=PositionType.choices, required=False)


class ReportQuery(serializers.Serializer[Any]):
    date_from = serializers.DateField(required=False, help_text=_("Default: 1 January of last year."))
    date_to = serializers.DateField(required=False, help_text=_("Default: 31 December of last year."))
    tenant = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=_("State analysts: narrow to one district.")
    )


class MeSerializer(serializers.Serializer[Any]):
    username = serializers.CharField()
    tenant = serializers.CharField()
    role = serializers.CharField()
    provider = serializers.IntegerField(allow_null=True)
    token_name = serializers.CharField()
    token_expires_at = serializers.DateTimeField()
