"""Case work: assessment over the life domains, goal agreement, contacts, follow-ups and the
structural barriers recorded from a case."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotse.cases.domains import LifeDomain, NeedLevel
from lotse.cases.models.case import Case
from lotse.core.versioning import VersionedModel
from lotse.tenants.models import Municipality, Provider, Tenant


class Assessment(models.Model):
    """Assessment / Re-Assessment: a dated look at every life domain."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    assessed_on = models.DateField(_("date of the assessment"), default=timezone.localdate)
    is_initial = models.BooleanField(default=False, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["assessed_on", "pk"]


class AssessmentEntry(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="entries")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    need_level = models.PositiveSmallIntegerField(_("need"), choices=NeedLevel.choices, default=NeedLevel.NONE)
    situation = models.TextField(_("situation"), blank=True)
    resources = models.TextField(_("resources"), blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["assessment", "domain"], name="assessment_domain_once")]


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACHIEVED = "achieved", _("achieved")
    PARTLY = "partly", _("partly achieved")
    NOT_ACHIEVED = "not_achieved", _("not achieved")
    DROPPED = "dropped", _("dropped")


class Goal(VersionedModel):
    """Ziel der Zielvereinbarung, one life domain each."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="goals")
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    text = models.TextField(_("goal"))
    status = models.CharField(_("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    agreed_on = models.DateField(_("agreed on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["agreed_on", "pk"]


class StepActor(models.TextChoices):
    CLIENT = "client", _("Client")
    CASE_MANAGER = "case_manager", _("Case manager")
    PARTNER = "partner", _("Partner agency")


class GoalStep(models.Model):
    """Handlungsschritt: who does what by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=300)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    actor = models.CharField(_("who acts"), max_length=20, choices=StepActor.choices)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        # steps without a date last, on every database (SQLite sorts NULL first, PostgreSQL last)
        ordering = [models.F("due_on").asc(nulls_last=True), "pk"]


class ContactKind(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    OUTREACH = "outreach", _("Outreach")
    VIDEO = "video", _("Video")
    WRITTEN = "written", _("Letter or e-mail")


class Contact(models.Model):
    """Kontakt (Monitoring): one conversation or piece of work for the client."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="contacts")
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind of contact"), max_length=20, choices=ContactKind.choices)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    effort_minutes = models.PositiveIntegerField(
        _("total effort (minutes)"), help_text=_("Including preparation, follow-up work and travel.")
    )
    interpreter_used = models.BooleanField(_("interpreter used"), default=False)
    topics = models.JSONField(_("topics"), default=list)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-occurred_on", "-pk"]
        indexes = [models.Index(fields=["case", "occurred_on"], name="contact_case_date")]


class FollowUp(models.Model):
    """Wiedervorlage."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("what is to be done"), max_length=300)
    done_on = models.DateField(_("done on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["case", "done_on", "due_on"], name="followup_open")]


class Barrier(models.Model):
    """Hemmnis: a structural barrier seen in a case. Carries tenant, provider, municipality and
    domain itself, so Module 2 counts per theme, domain or municipality without joining cases."""

    tenant = models.ForeignKey(Tenant, on_delete=models.PROTECT, related_name="barriers")
    case = models.ForeignKey(Case, null=True, on_delete=models.SET_NULL, related_name="barriers")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="barriers")
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="barriers",
    )
    domain = models.CharField(_("life domain"), max_length=20, choices=LifeDomain.choices)
    agency = models.ForeignKey(
        "network.Agency",
        verbose_name=_("institution concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="barriers",
    )
    institution = models.CharField(_("institution (if not in the directory)"), max_length=200, blank=True)
    description = models.TextField(_("description"), help_text=_("Describe the structural barrier, not the client."))
    recorded_on = models.DateField(_("recorded on"), default=timezone.localdate)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Module 2: the generative theme a coordinator grouped this barrier into
    theme = models.ForeignKey(
        "steering.Theme",
        verbose_name=_("generative theme"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="barriers",
    )

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [
            models.Index(fields=["tenant", "domain", "recorded_on"], name="barrier_domain"),
            models.Index(fields=["tenant", "recorded_on"], name="barrier_period"),
            models.Index(fields=["theme", "recorded_on"], name="barrier_theme"),
        ]
