"""Committee work (Gremienarbeit; seed 003 §11-12, concept §4): bodies with members, meetings
with agenda items (TOP), attendance with substitutes, decisions with vote results, tasks from
decisions, and quality-circle reviews of pseudonymised cases."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Membership, Tenant


class BodyKind(models.TextChoices):
    STEERING_GROUP = "steering_group", _("steering group (Lenkungsgruppe)")
    PROJECT_GROUP = "project_group", _("project group")
    ADVISORY_BODY = "advisory_body", _("advisory body (Perspektiven und Partizipation der Zielgruppe)")
    WORKING_GROUP = "working_group", _("working group")
    EXCHANGE_FORUM = "exchange_forum", _("exchange forum")
    QUALITY_CIRCLE = "quality_circle", _("quality circle")


class Body(VersionedModel):
    """Gremium."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="bodies")
    kind = models.CharField(_("kind of body"), max_length=20, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=200)
    remit = models.TextField(_("remit"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("body")
        constraints = [models.UniqueConstraint(fields=["tenant", "name"], name="body_unique_name")]

    def __str__(self) -> str:
        return self.name


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("chair")
    VICE_CHAIR = "vice_chair", _("vice chair")
    MEMBER = "member", _("member")
    ADVISORY = "advisory", _("advisory member")
    MANAGING_OFFICE = "managing_office", _("managing office")


class BodyMember(VersionedModel):
    """A seat in a body: the organisation, the person holding it and their substitute.
    ``membership`` links a Lotse account, which then sees the body's meetings and themes."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="members")
    organisation = models.CharField(_("organisation"), max_length=200)
    person = models.CharField(_("person"), max_length=200, blank=True)
    role = models.CharField(_("role in the body"), max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    substitute = models.CharField(_("substitute"), max_length=200, blank=True)
    membership = models.ForeignKey(
        Membership,
        verbose_name=_("Lotse account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_seats",
    )
    position = models.PositiveIntegerField(default=0)
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["membership", "body"], name="bodymember_membership")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.person}" if self.person else self.organisation


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", _("cancelled")


class Meeting(VersionedModel):
    """Sitzung."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="meetings")
    number = models.PositiveIntegerField(_("number of the meeting"))
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("begins"), null=True, blank=True)
    ends_at = models.TimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    chair = models.CharField(_("chair"), max_length=200, blank=True)
    minute_taker = models.CharField(_("minute-taker"), max_length=200, blank=True)
    guests = models.TextField(
        _("further attendees"), blank=True, help_text=_("One per line, e.g. “Verwaltung: Schenk, Stefan”.")
    )
    opening = models.TextField(_("opening remarks"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["body", "number"], name="meeting_unique_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.body.name}"


class AgendaPart(models.TextChoices):
    PUBLIC = "public", _("public part")
    NON_PUBLIC = "non_public", _("non-public part")


class DecisionKind(models.TextChoices):
    NONE = "", _("no decision")
    VOTE = "vote", _("vote")
    UNANIMOUS = "unanimous", _("unanimous")
    NOTED = "noted", _("noted (zur Kenntnis genommen)")


class AgendaItem(VersionedModel):
    """Tagesordnungspunkt (TOP), with its decision (Beschluss) and vote result."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    part = models.CharField(_("part"), max_length=20, choices=AgendaPart.choices, default=AgendaPart.PUBLIC)
    number = models.PositiveIntegerField(_("TOP"))
    title = models.CharField(_("title"), max_length=300)
    paper = models.CharField(_("paper (Vorlage)"), max_length=60, blank=True)
    theme = models.ForeignKey(
        "steering.Theme",
        verbose_name=_("generative theme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    report = models.CharField(_("report"), max_length=200, blank=True)
    text = models.TextField(_("course of the discussion"), blank=True)
    decision_kind = models.CharField(
        _("decision"), max_length=20, choices=DecisionKind.choices, default=DecisionKind.NONE, blank=True
    )
    decision_text = models.TextField(_("decision text"), blank=True)
    votes_yes = models.PositiveIntegerField(_("yes"), null=True, blank=True)
    votes_no = models.PositiveIntegerField(_("no"), null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)

    class Meta:
        ordering = ["part", "number", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "part", "number"], name="agenda_unique_number")]

    def __str__(self) -> str:
        return f"TOP {self.number} {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("present")
    REPRESENTED = "represented", _("represented")
    ABSENT = "absent", _("absent")


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(BodyMember, on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)
    arrived_at = models.TimeField(_("present from"), null=True, blank=True)
    left_at = models.TimeField(_("present until"), null=True, blank=True)

    class Meta:
        ordering = ["member__position", "member_id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_unique_member")]

    def __str__(self) -> str:
        return f"{self.member} ({self.status})"


class Task(VersionedModel):
    """A task from a decision (Arbeitsauftrag)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=300)
    owner = models.CharField(_("responsible"), max_length=200)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["done_on", "due_on", "pk"]


class ReviewCase(models.Model):
    """A case picked for a quality-circle meeting. Reviewers see it under ``label`` only."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="review_cases")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(_("label"), max_length=20)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["label", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="review_unique_case"),
            models.UniqueConstraint(fields=["meeting", "label"], name="review_unique_label"),
        ]

    def __str__(self) -> str:
        return self.label
