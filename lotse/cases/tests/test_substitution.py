"""Vertretung (seed 003 §3(3)) and the tenant's case settings.

Substitution: a case manager names substitutes (case managers of contracted providers only) and
enters absences; a substitute reaches the principal's cases only while an absence runs, and loses
them the moment it ends. Case settings: the tenant admin's case number format, re-assessment
interval and closure approval."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from lotse.access.cases import case_access
from lotse.access.context import AccessContext
from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.models import Absence, CaseSettings, SubstituteNomination
from lotse.cases.services import substitution as services
from lotse.cases.services.cases import case_open, case_settings
from lotse.cases.services.identity import identity_read
from lotse.cases.services.settings import case_settings_update, next_number_preview
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory, ProviderFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def de(msgid: str) -> str:
    """A message as the (German) staff UI shows it."""
    with translation.override("de"):
        return gettext(msgid)


def url(name: str, world: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug, **kwargs})


def page_errors(response: Any, form: str) -> list[str]:
    return [str(e) for e in response.context[form].non_field_errors()]


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


@pytest.fixture
def principal(world):  # type: ignore[no-untyped-def]
    """Kreis Wesel's case manager, who holds ``world.wesel.case``."""
    return world.wesel.users[Role.CASE_MANAGER]


@pytest.fixture
def colleague(world):  # type: ignore[no-untyped-def]
    """A case manager of Wesel's other provider (bound by the cooperation contract)."""
    assert world.wesel.other_provider.is_contracted
    membership = MembershipFactory(
        user=UserFactory(username="we-colleague", first_name="Clara", last_name="Kollegin"),
        tenant=world.wesel.tenant,
        role=Role.CASE_MANAGER,
        provider=world.wesel.other_provider,
    )
    return membership.user


@pytest.fixture
def named(world, principal, colleague):  # type: ignore[no-untyped-def]
    return services.nomination_add(
        tenant=world.wesel.tenant, actor=principal, principal=principal, substitute_id=colleague.pk
    )


def absence(world: Any, principal: Any, start: datetime.date, end: datetime.date) -> Absence:
    return services.absence_add(
        tenant=world.wesel.tenant, actor=principal, principal=principal, starts_on=start, ends_on=end
    )


def ctx_of(world: Any, user: Any) -> AccessContext:
    membership = user.memberships.get(tenant=world.wesel.tenant, is_active=True)
    return AccessContext(user=user, tenant=world.wesel.tenant, membership=membership)


def can_open(world: Any, client: Any, user: Any) -> bool:
    """The case detail page and the access layer must agree."""
    status = client.get(url("cases:detail", world, pk=world.wesel.case.pk)).status_code
    try:
        case_access(ctx_of(world, user), world.wesel.case.pk)
        direct = True
    except Http404:
        direct = False
    assert status in (200, 404)
    assert (status == 200) == direct
    return direct


# --- The page --------------------------------------------------------------------------------


def test_page_lists_substitutes_absences_and_whom_i_substitute_for(world, principal, colleague, named, signed_in):
    absence(world, principal, TODAY(), TODAY() + 5 * DAY)
    response = signed_in(principal).get(url("cases:substitution", world))
    assert response.status_code == 200
    assert [row["nomination"] for row in response.context["substitutes"]] == [named]
    assert response.context["substitutes"][0]["eligible"]
    assert response.context["absences"][0]["running"]
    # the colleague is already named: not offered again
    assert colleague.pk not in [
        c for c, _label in response.context["nominate_form"].fields["substitute"].widget.choices
    ]

    response = signed_in(colleague).get(url("cases:substitution", world))
    assert response.status_code == 200
    (row,) = response.context["substituting"]
    assert row["accessible"] and row["current"] is not None
    assert reverse("cases:list", kwargs={"tenant": world.wesel.tenant.slug}) in response.content.decode()


def test_only_case_managers_reach_the_substitution_pages(world, signed_in):
    for role in (Role.COORDINATOR, Role.TENANT_ADMIN, Role.PROVIDER_LEAD, Role.DATA_PROTECTION_OFFICER):
        client = signed_in(world.wesel.users[role])
        assert client.get(url("cases:substitution", world)).status_code == 403
        assert client.post(url("cases:absence_add", world), {}).status_code == 403
        assert client.post(url("cases:substitution_nominate", world), {}).status_code == 403


def test_choices_offer_contracted_case_managers_only_and_never_oneself(world, principal, colleague, signed_in):
    outsider_provider = ProviderFactory(tenant=world.wesel.tenant, name="Freier Träger", is_contracted=False)
    outsider = MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=outsider_provider).user
    foreign = world.coesfeld.users[Role.CASE_MANAGER]
    response = signed_in(principal).get(url("cases:substitution", world))
    offered = {c for c, _label in response.context["nominate_form"].fields["substitute"].widget.choices}
    assert colleague.pk in offered
    assert not offered & {principal.pk, outsider.pk, foreign.pk, world.wesel.users[Role.COORDINATOR].pk}


# --- Naming and removing substitutes -----------------------------------------------------------


def test_name_and_remove_a_substitute_through_the_page(world, principal, colleague, signed_in):
    client = signed_in(principal)
    response = client.post(url("cases:substitution_nominate", world), {"nominate-substitute": colleague.pk})
    assert response.status_code == 302 and response["Location"] == url("cases:substitution", world)
    nomination = SubstituteNomination.objects.get(principal=principal)
    assert nomination.substitute == colleague and nomination.tenant == world.wesel.tenant
    event = AuditEvent.objects.get(action="substitution.nominated")
    assert event.actor_id == principal.pk and event.details == {"principal": principal.pk, "substitute": colleague.pk}

    response = client.post(url("cases:substitution_remove", world, nomination=nomination.pk))
    assert response.status_code == 302
    assert not SubstituteNomination.objects.exists()
    assert AuditEvent.objects.filter(action="substitution.removed", actor_id=principal.pk).count() == 1


def test_a_case_manager_of_a_non_contracted_provider_is_refused_with_a_clear_message(world, principal, signed_in):
    outsider_provider = ProviderFactory(tenant=world.wesel.tenant, name="Freier Träger", is_contracted=False)
    outsider = MembershipFactory(tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=outsider_provider).user
    response = signed_in(principal).post(
        url("cases:substitution_nominate", world), {"nominate-substitute": outsider.pk}
    )
    assert response.status_code == 200
    assert page_errors(response, "nominate_form") == [
        de("Substitutes must work for a provider bound by the cooperation contract (seed §3(3)).")
    ]
    assert not SubstituteNomination.objects.exists()


def test_nobody_can_name_themselves(world, principal, signed_in):
    response = signed_in(principal).post(
        url("cases:substitution_nominate", world), {"nominate-substitute": principal.pk}
    )
    assert response.status_code == 200
    assert page_errors(response, "nominate_form") == [de("You cannot name yourself as your substitute.")]
    assert not SubstituteNomination.objects.exists()


@pytest.mark.parametrize("who", ["other_tenant", "coordinator", "unknown"])
def test_only_case_managers_of_this_tenant_can_be_named(world, principal, signed_in, who):
    user_id = {
        "other_tenant": world.coesfeld.users[Role.CASE_MANAGER].pk,
        "coordinator": world.wesel.users[Role.COORDINATOR].pk,
        "unknown": 999_999,
    }[who]
    response = signed_in(principal).post(url("cases:substitution_nominate", world), {"nominate-substitute": user_id})
    assert response.status_code == 200
    assert page_errors(response, "nominate_form") == [de("Choose an active case manager of this tenant.")]
    assert not SubstituteNomination.objects.exists()


def test_naming_twice_is_a_form_error(world, principal, colleague, named, signed_in):
    response = signed_in(principal).post(
        url("cases:substitution_nominate", world), {"nominate-substitute": colleague.pk}
    )
    assert response.status_code == 200
    assert page_errors(response, "nominate_form") == [de("This person is already named as your substitute.")]


def test_empty_or_garbage_posts_are_form_errors(world, principal, signed_in):
    client = signed_in(principal)
    for data in ({}, {"nominate-substitute": "abc"}):
        response = client.post(url("cases:substitution_nominate", world), data)
        assert response.status_code == 200 and response.context["nominate_form"].errors
    for data in ({}, {"absence-starts_on": "gestern", "absence-ends_on": ""}):
        response = client.post(url("cases:absence_add", world), data)
        assert response.status_code == 200 and response.context["absence_form"].errors


def test_another_persons_nomination_cannot_be_removed(world, principal, colleague, named, signed_in):
    """Not by the substitute, not by another case manager, not through the other tenant."""
    for user in (colleague, world.coesfeld.users[Role.CASE_MANAGER]):
        client = signed_in(user)
        tenant = world.wesel.tenant if user == colleague else world.coesfeld.tenant
        target = reverse("cases:substitution_remove", kwargs={"tenant": tenant.slug, "nomination": named.pk})
        assert client.post(target).status_code == 404
    assert SubstituteNomination.objects.filter(pk=named.pk).exists()
    assert not AuditEvent.objects.filter(action="substitution.removed").exists()


# --- Absences and access -----------------------------------------------------------------------


def test_substitute_reaches_the_cases_only_while_an_absence_runs(world, principal, colleague, named, signed_in):
    client = signed_in(colleague)
    # named, but the principal is not absent
    assert not can_open(world, client, colleague)
    # an absence that starts tomorrow
    planned = absence(world, principal, TODAY() + DAY, TODAY() + 10 * DAY)
    assert not can_open(world, client, colleague)
    # an absence that ended yesterday
    absence(world, principal, TODAY() - 10 * DAY, TODAY() - DAY)
    assert not can_open(world, client, colleague)
    # one that runs today
    Absence.objects.filter(pk=planned.pk).update(starts_on=TODAY())
    assert can_open(world, client, colleague)
    access = case_access(ctx_of(world, colleague), world.wesel.case.pk)
    assert access.as_substitute and access.identity
    # the case list shows the case too
    response = client.get(reverse("cases:list", kwargs={"tenant": world.wesel.tenant.slug}))
    assert world.wesel.case.number in response.content.decode()


def test_the_substitution_ends_with_its_period(world, principal, colleague, named, signed_in):
    """The last day of the absence is included; the day after, access is gone."""
    absence(world, principal, TODAY() - 5 * DAY, TODAY())
    ctx = ctx_of(world, colleague)
    from lotse.access.cases import substituted_principal_ids

    assert principal.pk in set(substituted_principal_ids(ctx, TODAY()))
    assert principal.pk not in set(substituted_principal_ids(ctx, TODAY() + DAY))
    assert can_open(world, signed_in(colleague), colleague)


def test_enter_an_absence_and_end_it_early_through_the_page(world, principal, colleague, named, signed_in):
    owner = signed_in(principal)
    substitute = signed_in(colleague)
    response = owner.post(
        url("cases:absence_add", world),
        {"absence-starts_on": (TODAY() - 2 * DAY).isoformat(), "absence-ends_on": (TODAY() + 14 * DAY).isoformat()},
    )
    assert response.status_code == 302
    entered = Absence.objects.get(principal=principal)
    event = AuditEvent.objects.get(action="absence.created")
    assert event.actor_id == principal.pk and event.details["until"] == (TODAY() + 14 * DAY).isoformat()
    assert can_open(world, substitute, colleague)

    response = owner.post(url("cases:absence_end", world, absence=entered.pk))
    assert response.status_code == 302
    # access is gone at once, not from tomorrow
    assert not can_open(world, substitute, colleague)
    entered.refresh_from_db()
    assert entered.ends_on == TODAY() - DAY
    event = AuditEvent.objects.get(action="absence.updated")
    assert event.actor_id == principal.pk and event.details["until"] == (TODAY() - DAY).isoformat()
    # an absence that is over cannot be "ended" again (which would lengthen it)
    response = owner.post(url("cases:absence_end", world, absence=entered.pk), follow=True)
    assert de("This absence is already over.") in messages_of(response)
    entered.refresh_from_db()
    assert entered.ends_on == TODAY() - DAY


def test_an_absence_starting_today_ended_early_is_removed(world, principal, colleague, named, signed_in):
    entered = absence(world, principal, TODAY(), TODAY() + 3 * DAY)
    assert can_open(world, signed_in(colleague), colleague)
    assert signed_in(principal).post(url("cases:absence_end", world, absence=entered.pk)).status_code == 302
    assert not Absence.objects.filter(pk=entered.pk).exists()
    assert not can_open(world, signed_in(colleague), colleague)


def test_a_planned_absence_can_be_cancelled(world, principal, signed_in):
    planned = absence(world, principal, TODAY() + 20 * DAY, TODAY() + 30 * DAY)
    response = signed_in(principal).post(url("cases:absence_end", world, absence=planned.pk), follow=True)
    assert response.status_code == 200
    assert not Absence.objects.filter(pk=planned.pk).exists()
    assert AuditEvent.objects.filter(action="absence.updated").count() == 1


def test_absence_periods_are_checked(world, principal, signed_in):
    client = signed_in(principal)
    cases = [
        # ends before it starts
        ((TODAY() + 5 * DAY), (TODAY() + 2 * DAY), "The absence must end on or after its first day."),
        # longer than a year
        (TODAY(), TODAY() + 400 * DAY, "An absence can last at most one year; enter a new one afterwards."),
    ]
    for start, end, message in cases:
        data = {"absence-starts_on": start.isoformat(), "absence-ends_on": end.isoformat()}
        response = client.post(url("cases:absence_add", world), data)
        assert response.status_code == 200
        assert page_errors(response, "absence_form") == [de(message)]
    # already over
    data = {"absence-starts_on": (TODAY() - 9 * DAY).isoformat(), "absence-ends_on": (TODAY() - DAY).isoformat()}
    response = client.post(url("cases:absence_add", world), data)
    assert response.status_code == 200 and "ends_on" in response.context["absence_form"].errors
    assert not Absence.objects.exists()


def test_another_persons_absence_cannot_be_ended(world, principal, colleague, named, signed_in):
    running = absence(world, principal, TODAY() - DAY, TODAY() + 5 * DAY)
    for user, tenant in ((colleague, world.wesel.tenant), (world.coesfeld.users[Role.CASE_MANAGER], None)):
        slug = (tenant or world.coesfeld.tenant).slug
        target = reverse("cases:absence_end", kwargs={"tenant": slug, "absence": running.pk})
        assert signed_in(user).post(target).status_code == 404
    running.refresh_from_db()
    assert running.ends_on == TODAY() + 5 * DAY
    assert can_open(world, signed_in(colleague), colleague)


def test_removing_the_substitute_ends_access_during_an_absence(world, principal, colleague, named, signed_in):
    absence(world, principal, TODAY() - DAY, TODAY() + 5 * DAY)
    assert can_open(world, signed_in(colleague), colleague)
    signed_in(principal).post(url("cases:substitution_remove", world, nomination=named.pk))
    assert not can_open(world, signed_in(colleague), colleague)


def test_an_absence_without_a_named_substitute_gives_nobody_access(world, principal, colleague, signed_in):
    absence(world, principal, TODAY() - DAY, TODAY() + 5 * DAY)
    assert not can_open(world, signed_in(colleague), colleague)


def test_identity_read_as_substitute_is_audited_as_such(world, principal, colleague, named, signed_in):
    absence(world, principal, TODAY() - DAY, TODAY() + 5 * DAY)
    access = case_access(ctx_of(world, colleague), world.wesel.case.pk)
    data = identity_read(access, actor=colleague)
    assert data is not None and data.family_name == "Testfall"
    event = AuditEvent.objects.filter(action="identity.viewed").latest("pk")
    assert event.actor_id == colleague.pk and event.details == {"as_substitute": True}
    # the case manager's own read is not marked
    identity_read(case_access(ctx_of(world, principal), world.wesel.case.pk), actor=principal)
    assert AuditEvent.objects.filter(action="identity.viewed").latest("pk").details == {"as_substitute": False}


def test_identity_page_as_substitute_is_audited_as_such(world, principal, colleague, named, signed_in):
    absence(world, principal, TODAY() - DAY, TODAY() + 5 * DAY)
    response = signed_in(colleague).get(url("cases:identity", world, pk=world.wesel.case.pk))
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="identity.viewed").latest("pk")
    assert event.actor_id == colleague.pk and event.details == {"as_substitute": True}


# --- Case settings -----------------------------------------------------------------------------


def settings_data(world: Any, **changes: Any) -> dict[str, Any]:
    current = case_settings(world.wesel.tenant)
    data = {
        "number_prefix": current.number_prefix,
        "number_format": current.number_format,
        "reassessment_interval_days": current.reassessment_interval_days,
        "closure_requires_approval": "on" if current.closure_requires_approval else "",
        "version": current.version,
    }
    data.update(changes)
    return data


@pytest.fixture
def admin(world, signed_in):  # type: ignore[no-untyped-def]
    return signed_in(world.wesel.users[Role.TENANT_ADMIN])


def test_case_settings_page_shows_the_next_number(world, admin):
    response = admin.get(url("cases:case_settings", world))
    assert response.status_code == 200
    preview = next_number_preview(case_settings(world.wesel.tenant))
    assert response.context["preview"] == preview
    assert preview in response.content.decode()
    assert re.fullmatch(r"KIM-\d{4}-\d{5}", preview)


def test_only_the_tenant_admin_manages_case_settings(world, signed_in):
    for role in (Role.CASE_MANAGER, Role.COORDINATOR, Role.PROVIDER_LEAD, Role.DATA_PROTECTION_OFFICER):
        client = signed_in(world.wesel.users[role])
        assert client.get(url("cases:case_settings", world)).status_code == 403
        assert client.post(url("cases:case_settings", world), settings_data(world)).status_code == 403
    # another tenant's admin neither
    foreign = signed_in(world.coesfeld.users[Role.TENANT_ADMIN])
    assert foreign.get(url("cases:case_settings", world)).status_code in (403, 404)


def test_new_cases_use_the_new_format(world, admin):
    response = admin.post(
        url("cases:case_settings", world),
        settings_data(
            world,
            number_prefix="WES",
            number_format="{prefix}/{year}/{seq:04d}",
            reassessment_interval_days=90,
            closure_requires_approval="",
        ),
    )
    assert response.status_code == 302
    saved = CaseSettings.objects.get(tenant=world.wesel.tenant)
    assert (saved.number_prefix, saved.number_format, saved.reassessment_interval_days) == (
        "WES",
        "{prefix}/{year}/{seq:04d}",
        90,
    )
    assert not saved.closure_requires_approval and saved.version == 2
    event = AuditEvent.objects.get(action="case_settings.updated")
    assert sorted(event.details["fields"]) == sorted(
        ["number_prefix", "number_format", "reassessment_interval_days", "closure_requires_approval"]
    )
    preview = next_number_preview(saved)
    cm = world.wesel.users[Role.CASE_MANAGER]
    case = case_open(
        actor=cm,
        tenant=world.wesel.tenant,
        case_manager_id=cm.pk,
        provider=world.wesel.provider,
        pseudonym="Neu",
        intake_channel="walk_in",
    )
    assert case.number == preview
    assert re.fullmatch(rf"WES/{TODAY().year}/\d{{4}}", case.number)
    # the other tenant keeps its own settings
    assert case_settings(world.coesfeld.tenant).number_prefix == "KIM"


def test_a_format_without_the_running_number_is_refused(world, admin):
    response = admin.post(url("cases:case_settings", world), settings_data(world, number_format="{prefix}-{year}"))
    assert response.status_code == 200
    assert response.context["form"].errors["number_format"] == [
        de("The case number format needs the running number {seq}.")
    ]
    assert case_settings(world.wesel.tenant).version == 1


@pytest.mark.parametrize(
    "fmt",
    [
        "{prefix}-{name}-{seq}",
        "{prefix}-{seq",
        "{prefix}-{seq}}",
        "{seq.real}-{seq}",
        "{seq.__class__}",
        "{seq!r}",
        "{seq[0]}",
        "{seq:{year}}",
        "{seq:x>5q}",
        "{prefix:05d}-{seq}",
        "{}-{seq}",
        "{0}-{seq}",
        "{prefix}{prefix}{prefix}{prefix}-{year}-{seq:010d}",  # numbers longer than 40 characters
    ],
)
def test_bad_placeholders_are_refused_with_a_message(world, admin, fmt):
    response = admin.post(url("cases:case_settings", world), settings_data(world, number_format=fmt))
    assert response.status_code == 200
    assert response.context["form"].errors["number_format"]
    assert case_settings(world.wesel.tenant).number_format == "{prefix}-{year}-{seq:05d}"


@pytest.mark.parametrize("days", [0, 731, -5, "x"])
def test_reassessment_interval_is_bounded(world, admin, days):
    response = admin.post(url("cases:case_settings", world), settings_data(world, reassessment_interval_days=days))
    assert response.status_code == 200 and "reassessment_interval_days" in response.context["form"].errors
    assert case_settings(world.wesel.tenant).version == 1


def test_stale_save_is_refused(world, admin):
    loaded = settings_data(world)
    case_settings_update(
        case_settings(world.wesel.tenant),
        actor=world.wesel.users[Role.TENANT_ADMIN],
        expected_version=loaded["version"],
        number_prefix="NEU",
    )
    response = admin.post(url("cases:case_settings", world), {**loaded, "number_prefix": "ALT"})
    assert response.status_code == 200 and response.context["conflict"]
    assert case_settings(world.wesel.tenant).number_prefix == "NEU"
    # the form now carries the new version: saving again is a conscious decision
    assert response.context["form"].data["version"] == "2"


def test_service_refuses_fields_it_does_not_manage_and_bad_intervals(world):
    from django.core.exceptions import ValidationError

    settings_ = case_settings(world.wesel.tenant)
    actor = world.wesel.users[Role.TENANT_ADMIN]
    with pytest.raises(ValidationError):
        case_settings_update(settings_, actor=actor, expected_version=1, tenant_id=world.coesfeld.tenant.pk)
    with pytest.raises(ValidationError):
        case_settings_update(settings_, actor=actor, expected_version=1, reassessment_interval_days=0)
    with pytest.raises(ValidationError):
        case_settings_update(settings_, actor=actor, expected_version=1, number_format="{seq.__class__}")
    assert not AuditEvent.objects.filter(action="case_settings.updated").exists()
