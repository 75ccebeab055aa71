"""Forms of committee work. They validate input; the services check again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from lotse.committees import services
from lotse.committees.models import (
    AgendaItem,
    AttendanceStatus,
    Body,
    BodyMember,
    DecisionKind,
    Meeting,
    Task,
)
from lotse.steering.models import Theme
from lotse.tenants.models import Membership
from lotse.ui.forms import KernFormMixin, VersionField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class ServiceFieldsMixin:
    """``service_fields()``: the cleaned values of the model fields the form edits."""

    cleaned_data: dict[str, Any]
    _meta: Any

    def service_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields or ()}

    def validate_unique(self) -> None:
        """Uniqueness is the service's check (it knows tenant, body and meeting)."""


class BodyForm(ServiceFieldsMixin, KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Body
        fields = ["name", "kind", "remit", "is_active"]
        widgets = {"remit": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"remit": _("What the body decides or advises on (optional).")}


class MembershipChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.user.get_full_name() or obj.user.username} ({obj.get_role_display()})"


class MemberForm(ServiceFieldsMixin, KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = BodyMember
        fields = ["organisation", "person", "role", "substitute", "membership", "position", "left_on"]
        widgets = {"left_on": DateInput()}
        help_texts = {
            "person": _("As in the minutes, e.g. “Muster, Maria”."),
            "membership": _("The seat holder's Lotse account: it then sees this body's meetings and themes."),
            "position": _("Order in the member list and in the minutes."),
            "left_on": _("The last day on which the seat holder belongs to the body."),
        }

    def __init__(self, *args: Any, accounts: QuerySet[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["membership"]
        self.fields["membership"] = MembershipChoiceField(
            queryset=accounts, required=False, label=field.label, help_text=field.help_text
        )
        self.fields["position"].required = False
        self.style_fields()

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        if fields.get("position") is None:
            fields.pop("position", None)
        return fields


class MeetingForm(ServiceFieldsMixin, KernFormMixin, forms.ModelForm):
    version = VersionField(required=False)

    class Meta:
        model = Meeting
        fields = [
            "number",
            "date",
            "starts_at",
            "ends_at",
            "place",
            "chair",
            "minute_taker",
            "guests",
            "opening",
        ]
        widgets = {
            "date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "guests": forms.Textarea(attrs={"rows": 4}),
            "opening": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it begins."))
        return data


class MeetingEditForm(MeetingForm):
    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "status"]


class AttendanceForm(KernFormMixin, forms.Form):
    """One group of fields per seat: status, represented by (prefilled with the seat's
    substitute), present from / until."""

    mark_optional = False

    def __init__(
        self, *args: Any, meeting: Meeting, members: list[BodyMember], existing: dict[int, Any], **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.members = members
        # the meeting's version when the form was loaded: a save after someone else's is refused
        self.fields["version"] = VersionField(required=False, initial=meeting.version)
        for member in members:
            record = existing.get(member.pk)
            prefix = f"m{member.pk}"
            self.fields[f"{prefix}_status"] = forms.ChoiceField(
                label=_("Attendance"),
                choices=AttendanceStatus.choices,
                initial=record.status if record else AttendanceStatus.PRESENT,
            )
            self.fields[f"{prefix}_represented_by"] = forms.CharField(
                label=_("Represented by"),
                required=False,
                max_length=200,
                initial=(record.represented_by if record and record.represented_by else member.substitute),
                help_text=_("Only used when the seat is represented."),
            )
            self.fields[f"{prefix}_arrived_at"] = forms.TimeField(
                label=_("Present from (late arrival)"),
                required=False,
                widget=TimeInput(),
                initial=record.arrived_at if record else None,
            )
            self.fields[f"{prefix}_left_at"] = forms.TimeField(
                label=_("Present until (early leave)"),
                required=False,
                widget=TimeInput(),
                initial=record.left_at if record else None,
            )
        self.style_fields()

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "member": member,
                "status": self[f"m{member.pk}_status"],
                "represented_by": self[f"m{member.pk}_represented_by"],
                "arrived_at": self[f"m{member.pk}_arrived_at"],
                "left_at": self[f"m{member.pk}_left_at"],
            }
            for member in self.members
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.entries: list[services.AttendanceEntry] = []
        for member in self.members:
            prefix = f"m{member.pk}"
            if any(f"{prefix}_{name}" in self.errors for name in ("status", "arrived_at", "left_at")):
                continue
            entry = services.AttendanceEntry(
                member_id=member.pk,
                status=data.get(f"{prefix}_status", ""),
                represented_by=data.get(f"{prefix}_represented_by", ""),
                arrived_at=data.get(f"{prefix}_arrived_at"),
                left_at=data.get(f"{prefix}_left_at"),
            )
            try:
                self.entries.append(services.attendance_check(self.meeting, entry))
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(f"{prefix}_{name}", f"{member}: {message}")
        return data


class ThemeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} ({_('level')} {obj.level})"


class ItemForm(ServiceFieldsMixin, KernFormMixin, forms.ModelForm):
    """Agenda item (TOP) with its decision; the decision is checked like the service does
    (:func:`lotse.committees.services.decision_check`)."""

    version = VersionField(required=False)

    class Meta:
        model = AgendaItem
        fields = [
            "part",
            "number",
            "title",
            "paper",
            "theme",
            "report",
            "text",
            "decision_kind",
            "decision_text",
            "votes_yes",
            "votes_no",
            "votes_abstain",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "decision_text": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "paper": _("The number of the paper (Vorlage), e.g. “SV-10-1126”."),
            "report": _("A report the item refers to, e.g. “Sachstandsbericht 2/2025”."),
            "votes_yes": _("For a vote: all three counts (0 if none). Unanimous: the yes count may be given."),
        }

    def __init__(self, *args: Any, meeting: Meeting, themes: QuerySet[Theme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        theme = self.fields["theme"]
        self.fields["theme"] = ThemeChoiceField(
            queryset=themes, required=False, label=theme.label, help_text=_("Active generative themes.")
        )
        self.fields["decision_kind"] = forms.ChoiceField(
            label=self.fields["decision_kind"].label, choices=DecisionKind.choices, required=False
        )
        self.style_fields()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = ("decision_kind", "decision_text", *services.VOTE_FIELDS)
        if any(name in self.errors for name in fields):
            return data
        try:
            services.decision_check(
                self.meeting,
                decision_kind=data.get("decision_kind") or "",
                decision_text=data.get("decision_text") or "",
                votes_yes=data.get("votes_yes"),
                votes_no=data.get("votes_no"),
                votes_abstain=data.get("votes_abstain"),
            )
        except ValidationError as exc:
            self.add_error(None, exc)
        return data

    def service_fields(self) -> dict[str, Any]:
        fields = super().service_fields()
        fields["decision_kind"] = fields.get("decision_kind") or ""
        return fields


class TaskForm(KernFormMixin, forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "owner", "due_on"]
        widgets = {"due_on": DateInput()}
