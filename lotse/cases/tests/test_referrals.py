"""Verweisberatung in the UI: the identity passes only with a release in force for that agency
and topic, or by a coordinator's logged override; status moves follow REFERRAL_TRANSITIONS;
stale forms and other tenants' agencies are refused."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, CaseStatus, Referral, ReferralStatus
from lotse.cases.services import cases as case_services
from lotse.cases.services.referrals import NO_RELEASE
from lotse.consent import services as consent
from lotse.network.models import Agency
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today


def url(name: str, world: Any, case: Any = None, **kwargs: Any) -> str:
    case = case or world.wesel.case
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug, "pk": case.pk, **kwargs})


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def cm(world, signed_in):  # type: ignore[no-untyped-def]
    """The case manager of Kreis Wesel's case."""
    return english(signed_in(world.user(Role.CASE_MANAGER)))


@pytest.fixture
def co(world, signed_in):  # type: ignore[no-untyped-def]
    return english(signed_in(world.user(Role.COORDINATOR)))


@pytest.fixture
def other_agency(world):  # type: ignore[no-untyped-def]
    """An agency of Kreis Wesel for which the client signed no release."""
    return Agency.objects.create(
        tenant=world.wesel.tenant, name="Ausländerbehörde Kreis Wesel", kind="immigration_office"
    )


def send(client: Client, world: Any, agency: Any, topic: str = "work", *, identity: bool = True, **extra: Any):  # type: ignore[no-untyped-def]
    data = {"agency": agency.pk, "topic": topic, "sent_on": TODAY().isoformat(), "note": "", **extra}
    if identity:
        data["with_identity"] = "on"
    return client.post(url("cases:referral_create", world), data)


def errors(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(e) for e in response.context["form"].non_field_errors()]


def new_referrals(world: Any):  # type: ignore[no-untyped-def]
    return Referral.objects.filter(case=world.wesel.case).exclude(pk=world.wesel.objects["referral"].pk)


# --- Sending: the release decides whether the identity may pass ---------------------------------


def test_identity_without_release_is_refused(world, cm, other_agency):
    response = send(cm, world, other_agency)
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert "Schweigepflichtentbindung" in response.content.decode()
    assert not new_referrals(world).exists()


def test_identity_with_release_for_agency_and_topic(world, cm):
    response = send(cm, world, world.wesel.agency, "work", note="Bitte Termin zur Arbeitsvermittlung")
    assert response.status_code == 302 and response["Location"] == url("cases:referral_list", world)
    referral = new_referrals(world).get()
    assert referral.with_identity and referral.release == world.wesel.objects["release"]
    assert referral.status == ReferralStatus.SENT and not referral.override_reason and referral.override_by is None
    assert AuditEvent.objects.filter(action="referral.created", object_id=str(referral.pk)).exists()
    page = cm.get(response["Location"]).content.decode()
    assert "The referral was sent." in page and "Bitte Termin zur Arbeitsvermittlung" in page


def test_without_identity_no_release_is_needed(world, cm, other_agency):
    assert send(cm, world, other_agency, "residence", identity=False).status_code == 302
    referral = new_referrals(world).get()
    assert not referral.with_identity and referral.release is None


def test_release_for_another_topic_does_not_count(world, cm):
    response = send(cm, world, world.wesel.agency, "housing")  # the release covers "work" only
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert not new_referrals(world).exists()


def test_release_for_another_agency_does_not_count(world, cm, other_agency):
    response = send(cm, world, other_agency, "work")  # the release names the Jobcenter
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert not new_referrals(world).exists()


def test_expired_release_does_not_count(world, cm, other_agency):
    consent.release_record(
        world.wesel.case,
        actor=world.user(Role.CASE_MANAGER),
        agency=other_agency,
        topics=["residence"],
        language="de",
        given_on=TODAY() - datetime.timedelta(days=60),
        valid_until=TODAY() - datetime.timedelta(days=1),
    )
    response = send(cm, world, other_agency, "residence")
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert not new_referrals(world).exists()
    # and it is not listed among the releases in force
    listed = cm.get(url("cases:referral_list", world)).context["releases"]
    assert [row["release"].agency for row in listed] == [world.wesel.agency]


def test_revocation_blocks_at_once(world, cm):
    assert send(cm, world, world.wesel.agency, "work").status_code == 302
    consent.release_revoke(world.wesel.objects["release"], actor=world.user(Role.CASE_MANAGER))
    response = send(cm, world, world.wesel.agency, "work")
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert new_referrals(world).count() == 1
    listed = cm.get(url("cases:referral_list", world))
    assert listed.context["releases"] == []
    assert "No release is in force" in listed.content.decode()


def test_only_own_tenants_active_agencies(world, cm):
    response = send(cm, world, world.coesfeld.agency, "work", identity=False)
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    inactive = Agency.objects.create(tenant=world.wesel.tenant, name="Geschlossen", kind="other", is_active=False)
    response = send(cm, world, inactive, "work", identity=False)
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not new_referrals(world).exists()
    offered = list(cm.get(url("cases:referral_create", world)).context["form"].fields["agency"].queryset)
    assert offered == [world.wesel.agency]


def test_anonymous_case_cannot_send_with_identity(world, cm):
    case = case_services.case_open(
        actor=world.user(Role.CASE_MANAGER),
        tenant=world.wesel.tenant,
        case_manager_id=world.user(Role.CASE_MANAGER).pk,
        provider=world.wesel.provider,
        pseudonym="Anonym",
        intake_channel="walk_in",
    )
    assert case.is_anonymous
    form = cm.get(url("cases:referral_create", world, case)).context["form"]
    assert form.fields["with_identity"].disabled
    data = {"agency": world.wesel.agency.pk, "topic": "work", "sent_on": TODAY().isoformat(), "with_identity": "on"}
    response = cm.post(url("cases:referral_create", world, case), data)
    assert response.status_code == 200
    assert "counselled anonymously" in " ".join(errors(response))
    assert not Referral.objects.filter(case=case).exists()
    # without identity the referral goes out
    del data["with_identity"]
    assert cm.post(url("cases:referral_create", world, case), data).status_code == 302
    assert not Referral.objects.get(case=case).with_identity


# --- Coordinator override --------------------------------------------------------------------


def test_coordinator_override_needs_a_reason(world, co, other_agency):
    form = co.get(url("cases:referral_create", world)).context["form"]
    assert "override_reason" in form.fields
    response = send(co, world, other_agency, "residence", override_reason="   ")
    assert response.status_code == 200
    assert "Give the reason why the identity is passed on without a release." in errors(response)
    assert not new_referrals(world).exists()
    assert not AuditEvent.objects.filter(action="referral.override").exists()


def test_coordinator_override_with_reason_is_stored_and_logged(world, co, cm, other_agency):
    reason = "Abschiebung droht morgen, Mandantin nicht erreichbar"
    response = send(co, world, other_agency, "residence", override_reason=reason)
    assert response.status_code == 302
    referral = new_referrals(world).get()
    assert referral.with_identity and referral.release is None
    assert referral.override_reason == reason and referral.override_by == world.user(Role.COORDINATOR)
    event = AuditEvent.objects.get(action="referral.override", object_id=str(referral.pk))
    assert event.actor_id == world.user(Role.COORDINATOR).pk
    # shown to both the coordinator and the case manager
    for client in (co, cm):
        page = client.get(url("cases:referral_list", world)).content.decode()
        assert "coordinator override" in page and reason in page


def test_case_manager_cannot_override(world, cm, other_agency):
    form = cm.get(url("cases:referral_create", world)).context["form"]
    assert "override_reason" not in form.fields
    response = send(cm, world, other_agency, "residence", override_reason="Ich entscheide das selbst")
    assert response.status_code == 200 and errors(response) == [str(NO_RELEASE)]
    assert not new_referrals(world).exists()
    assert not AuditEvent.objects.filter(action="referral.override").exists()


def test_coordinator_sends_without_identity(world, co, other_agency):
    assert send(co, world, other_agency, "residence", identity=False).status_code == 302
    assert new_referrals(world).get().created_by == world.user(Role.COORDINATOR)


def test_closed_case_refuses_new_referrals(world, cm, co):
    Case.objects.filter(pk=world.wesel.case.pk).update(status=CaseStatus.CLOSED)
    for client in (cm, co):
        response = send(client, world, world.wesel.agency, "work")
        assert response.status_code == 302 and response["Location"] == url("cases:detail", world)
        assert client.get(url("cases:referral_create", world)).status_code == 302
    assert not new_referrals(world).exists()
    page = cm.get(url("cases:referral_list", world))
    assert page.status_code == 200 and not page.context["can_send"]


# --- Who sees what -----------------------------------------------------------------------------


def test_list_shows_referrals_and_releases(world, cm, co):
    for client in (cm, co):
        response = client.get(url("cases:referral_list", world))
        assert response.status_code == 200
        assert [row["referral"] for row in response.context["rows"]] == [world.wesel.objects["referral"]]
        [release] = response.context["releases"]
        assert release["release"] == world.wesel.objects["release"] and release["topics"] == ["Training and work"]
    assert cm.get(url("cases:referral_list", world)).context["rows"][0]["can_change"]
    assert not co.get(url("cases:referral_list", world)).context["rows"][0]["can_change"]


def test_other_case_manager_sees_nothing(world, signed_in, other_agency):
    colleague = UserFactory(username="we-colleague")
    MembershipFactory(user=colleague, tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    client = english(signed_in(colleague))
    referral = world.wesel.objects["referral"]
    assert client.get(url("cases:referral_list", world)).status_code == 404
    assert send(client, world, other_agency, "work", identity=False).status_code == 404
    update = url("cases:referral_update", world, referral=referral.pk)
    assert client.post(update, {"status": "accepted", "version": referral.version}).status_code == 404
    assert not new_referrals(world).exists()


def test_other_tenant_sees_nothing(world, signed_in):
    client = english(signed_in(world.user(Role.CASE_MANAGER, "coesfeld")))
    foreign = reverse("cases:referral_list", kwargs={"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk})
    assert client.get(foreign).status_code == 403
    crossed = reverse("cases:referral_list", kwargs={"tenant": world.coesfeld.tenant.slug, "pk": world.wesel.case.pk})
    assert client.get(crossed).status_code == 404


# --- Status --------------------------------------------------------------------------------------


def update(client: Client, world: Any, referral: Referral, **data: Any):  # type: ignore[no-untyped-def]
    data.setdefault("version", referral.version)
    return client.post(url("cases:referral_update", world, referral=referral.pk), data)


def test_only_allowed_next_states_are_offered(world, cm):
    referral = world.wesel.objects["referral"]
    form = cm.get(url("cases:referral_update", world, referral=referral.pk)).context["form"]
    assert [value for value, _ in form.fields["status"].choices] == ["accepted", "declined", "withdrawn"]
    assert update(cm, world, referral, status="accepted").status_code == 302
    referral.refresh_from_db()
    form = cm.get(url("cases:referral_update", world, referral=referral.pk)).context["form"]
    assert [value for value, _ in form.fields["status"].choices] == ["done", "withdrawn"]
    assert "decline_reason" not in form.fields and "outcome" in form.fields


def test_accept_then_done_with_outcome(world, cm):
    referral = world.wesel.objects["referral"]
    assert update(cm, world, referral, status="accepted").status_code == 302
    referral.refresh_from_db()
    response = update(cm, world, referral, status="done", outcome="Vermittlung in Arbeit")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DONE and referral.outcome == "Vermittlung in Arbeit"
    assert AuditEvent.objects.filter(action="referral.updated", object_id=str(referral.pk)).count() == 2
    page = cm.get(url("cases:referral_list", world)).content.decode()
    assert "Vermittlung in Arbeit" in page and "The referral is now done." in page


def test_decline_needs_a_reason(world, cm):
    referral = world.wesel.objects["referral"]
    response = update(cm, world, referral, status="declined", decline_reason=" ")
    assert response.status_code == 200 and "decline_reason" in response.context["form"].errors
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert update(cm, world, referral, status="declined", decline_reason="Keine Kapazität").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.decline_reason == "Keine Kapazität"


def test_invalid_transition_is_refused_with_a_clear_message(world, cm):
    referral = world.wesel.objects["referral"]
    assert update(cm, world, referral, status="declined", decline_reason="Keine Kapazität").status_code == 302
    referral.refresh_from_db()
    page = cm.get(url("cases:referral_update", world, referral=referral.pk))
    assert not page.context["can_change"] and "can no longer change" in page.content.decode()
    response = update(cm, world, referral, status="done", outcome="doch erledigt")
    assert response.status_code == 200
    assert errors(response) == ["A referral that is declined cannot become done."]
    assert "cannot become done" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.outcome == ""
    # unknown states are form errors, never a crash
    response = update(cm, world, referral, status="lost")
    assert response.status_code == 200 and "status" in response.context["form"].errors


def test_stale_status_form_is_refused(world, signed_in):
    referral = world.wesel.objects["referral"]
    edit = url("cases:referral_update", world, referral=referral.pk)
    first = english(signed_in(world.user(Role.CASE_MANAGER)))
    second = english(signed_in(world.user(Role.CASE_MANAGER)))
    version_first = first.get(edit).context["form"]["version"].value()
    version_second = second.get(edit).context["form"]["version"].value()
    assert version_first == version_second == referral.version
    assert first.post(edit, {"status": "accepted", "version": version_first}).status_code == 302
    response = second.post(edit, {"status": "declined", "decline_reason": "Kein Termin", "version": version_second})
    assert response.status_code == 200 and response.context["conflict"]
    assert "saved this record while you were editing" in response.content.decode()
    row = next(r for r in response.context["conflict"] if r["label"] == "New status")
    assert (str(row["mine"]), str(row["theirs"])) == ("declined", "accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED and referral.decline_reason == ""
    assert response.context["form"].data["version"] == str(referral.version)


def test_coordinator_cannot_change_the_status(world, co):
    referral = world.wesel.objects["referral"]
    edit = url("cases:referral_update", world, referral=referral.pk)
    assert co.get(edit).status_code == 403
    assert co.post(edit, {"status": "accepted", "version": referral.version}).status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_status_of_a_closed_case_cannot_change(world, cm):
    referral = world.wesel.objects["referral"]
    Case.objects.filter(pk=world.wesel.case.pk).update(status=CaseStatus.CLOSED)
    response = update(cm, world, referral, status="accepted")
    assert response.status_code == 302 and response["Location"] == url("cases:detail", world)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_referral_of_another_case_is_not_found(world, cm):
    foreign = world.coesfeld.objects["referral"]
    response = cm.post(url("cases:referral_update", world, referral=foreign.pk), {"status": "accepted", "version": 1})
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == ReferralStatus.SENT
