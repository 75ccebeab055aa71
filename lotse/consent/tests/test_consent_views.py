"""Consent and releases of a case through the UI: recording, revocation and its effects, the
information sheet, and who may see or do what."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.domains import ClientLanguage
from lotse.cases.identity import IdentityData
from lotse.cases.models import Assessment, Case, ClosureReason, Contact, Identity
from lotse.cases.services import cases as case_services
from lotse.cases.services import identity as identity_services
from lotse.cases.services.referrals import referral_create
from lotse.consent.models import Consent, Release
from lotse.consent.services import FORM_VERSION
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def de(msgid: str) -> str:
    """A message as the (German) staff UI shows it."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("de"):
        return gettext(msgid)


MISSING_CONSENT_MSGID = (
    "No consent to processing recorded yet – print the information sheet in the client's language and record "
    "the consent before named processing."
)


def url(world, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    part = world.wesel
    return reverse(f"consent:{name}", kwargs={"tenant": part.tenant.slug, "pk": part.case.pk, **kwargs})


def new_case(world, *, named: bool = False) -> Case:  # type: ignore[no-untyped-def]
    part = world.wesel
    actor = part.users[Role.CASE_MANAGER]
    case = case_services.case_open(
        actor=actor,
        tenant=part.tenant,
        case_manager_id=actor.pk,
        provider=part.provider,
        pseudonym="Neuer Fall",
        intake_channel="walk_in",
    )
    if named:
        identity_services.identity_record(
            case,
            actor=actor,
            data=IdentityData(given_name="Nadia", family_name="Beispiel", birth_date=datetime.date(1985, 1, 2)),
            expected_version=0,
        )
        case.refresh_from_db()
    return case


def case_url(world, case: Case, name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"consent:{name}", kwargs={"tenant": world.wesel.tenant.slug, "pk": case.pk, **kwargs})


@pytest.fixture
def cm(world, signed_in):  # type: ignore[no-untyped-def]
    return signed_in(world.wesel.users[Role.CASE_MANAGER])


# --- Overview -------------------------------------------------------------------------------


def test_overview_lists_consents_and_releases_with_actions(world, cm):  # type: ignore[no-untyped-def]
    response = cm.get(url(world, "case_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    consent = world.wesel.objects["consent"]
    release = world.wesel.objects["release"]
    assert FORM_VERSION in html
    assert "Jobcenter Kreis Wesel" in html
    assert url(world, "consent_record") in html
    assert url(world, "release_record") in html
    assert url(world, "consent_revoke", consent=consent.pk) in html
    assert url(world, "release_revoke", release=release.pk) in html
    assert url(world, "sheet_pdf") in html
    # the named case has its processing consent: no warning
    assert de(MISSING_CONSENT_MSGID) not in html


def test_overview_warns_when_a_named_case_has_no_processing_consent(world, cm):  # type: ignore[no-untyped-def]
    case = new_case(world, named=True)
    response = cm.get(case_url(world, case, "case_overview"))
    assert response.status_code == 200
    assert de(MISSING_CONSENT_MSGID) in response.content.decode()


def test_overview_of_a_closed_case_offers_revocation_only(world, cm):  # type: ignore[no-untyped-def]
    """Nothing new is recorded on a closed case, but the client may withdraw at any time
    (Art. 7(3) GDPR): revocation stays possible."""
    case = world.wesel.case
    Case.objects.filter(pk=case.pk).update(status="closed")
    response = cm.get(url(world, "case_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert url(world, "consent_record") not in html
    assert url(world, "release_record") not in html
    assert "/revoke/" in html
    # recording on a closed case sends the case manager back with an explanation
    response = cm.post(url(world, "consent_record"), {"purpose": "contact", "language": "de"})
    assert response.status_code == 302
    assert not Consent.objects.filter(case=case, purpose="contact").exists()
    release = world.wesel.objects["release"]
    response = cm.post(
        reverse("consent:release_revoke", kwargs={"tenant": "kreis-wesel", "pk": case.pk, "release": release.pk})
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revoked_at is not None


# --- Recording ------------------------------------------------------------------------------


def test_record_processing_consent_with_version_language_and_date(world, cm):  # type: ignore[no-untyped-def]
    case = new_case(world, named=True)
    response = cm.get(case_url(world, case, "consent_record"))
    assert response.status_code == 200
    html = response.content.decode()
    assert FORM_VERSION in html
    assert 'type="date"' in html
    assert "Art. 9" in html
    signed = TODAY() - datetime.timedelta(days=2)
    response = cm.post(
        case_url(world, case, "consent_record"),
        {"purpose": "processing", "language": "ar", "given_on": signed.isoformat()},
    )
    assert response.status_code == 302
    assert response["Location"] == case_url(world, case, "case_overview")
    consent = Consent.objects.get(case=case)
    assert (consent.purpose, consent.language, consent.given_on, consent.form_version) == (
        "processing",
        "ar",
        signed,
        FORM_VERSION,
    )
    assert consent.recorded_by == world.wesel.users[Role.CASE_MANAGER]
    assert AuditEvent.objects.filter(action="consent.recorded", object_id=str(consent.pk)).exists()


def test_health_consent_is_refused_before_the_processing_consent(world, cm):  # type: ignore[no-untyped-def]
    case = new_case(world)
    response = cm.post(
        case_url(world, case, "consent_record"),
        {"purpose": "health", "language": "de", "given_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert de("Record the consent to processing in the case management first.") in response.content.decode()
    assert not Consent.objects.filter(case=case).exists()


def test_consent_with_a_future_date_is_refused(world, cm):  # type: ignore[no-untyped-def]
    case = new_case(world)
    future = TODAY() + datetime.timedelta(days=1)
    response = cm.post(
        case_url(world, case, "consent_record"),
        {"purpose": "processing", "language": "de", "given_on": future.isoformat()},
    )
    assert response.status_code == 200
    assert de("The date of signature cannot lie in the future.") in response.content.decode()


def test_record_release_for_agency_and_topics(world, cm):  # type: ignore[no-untyped-def]
    part = world.wesel
    until = TODAY() + datetime.timedelta(days=365)
    response = cm.get(url(world, "release_record"))
    assert response.status_code == 200
    assert part.agency.name in response.content.decode()
    response = cm.post(
        url(world, "release_record"),
        {
            "agency": part.agency.pk,
            "topics": ["housing", "income"],
            "language": "uk",
            "given_on": TODAY().isoformat(),
            "valid_until": until.isoformat(),
        },
    )
    assert response.status_code == 302
    release = Release.objects.filter(case=part.case).latest("pk")
    assert release.agency == part.agency
    assert release.topics == ["housing", "income"]
    assert (release.language, release.valid_until, release.form_version) == ("uk", until, FORM_VERSION)
    overview = cm.get(url(world, "case_overview")).content.decode()
    assert "Housing" in overview or "Wohnen" in overview


def test_release_form_offers_only_active_agencies_of_the_tenant(world, cm):  # type: ignore[no-untyped-def]
    part = world.wesel
    part.agency.__class__.objects.filter(pk=part.agency.pk).update(is_active=False)
    foreign = world.coesfeld.agency
    response = cm.post(
        url(world, "release_record"),
        {"agency": foreign.pk, "topics": ["work"], "language": "de", "given_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert not Release.objects.filter(agency=foreign, case=part.case).exists()
    response = cm.post(
        url(world, "release_record"),
        {"agency": part.agency.pk, "topics": ["work"], "language": "de", "given_on": TODAY().isoformat()},
    )
    assert response.status_code == 200
    assert Release.objects.filter(case=part.case).count() == 1


# --- Revocation -----------------------------------------------------------------------------


def test_revoking_a_release_blocks_identity_referrals_at_once(world, cm):  # type: ignore[no-untyped-def]
    part = world.wesel
    release = part.objects["release"]
    response = cm.get(url(world, "release_revoke", release=release.pk))
    assert response.status_code == 200
    assert part.agency.name in response.content.decode()
    response = cm.post(url(world, "release_revoke", release=release.pk))
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.revoked_at is not None
    assert release.revoked_by == part.users[Role.CASE_MANAGER]
    with pytest.raises(ValidationError):
        referral_create(
            part.case, actor=part.users[Role.CASE_MANAGER], agency=part.agency, topic="work", with_identity=True
        )
    overview = cm.get(url(world, "case_overview")).content.decode()
    assert url(world, "release_revoke", release=release.pk) not in overview
    # revoking twice is harmless
    response = cm.post(url(world, "release_revoke", release=release.pk))
    assert response.status_code == 302


def test_revoking_another_purpose_only_ends_that_consent(world, cm):  # type: ignore[no-untyped-def]
    part = world.wesel
    response = cm.post(url(world, "consent_record"), {"purpose": "contact", "language": "de", "given_on": TODAY()})
    assert response.status_code == 302
    contact_consent = Consent.objects.get(case=part.case, purpose="contact")
    page = cm.get(url(world, "consent_revoke", consent=contact_consent.pk)).content.decode()
    assert "kern-alert--danger" not in page
    response = cm.post(url(world, "consent_revoke", consent=contact_consent.pk))
    assert response["Location"] == url(world, "case_overview")
    contact_consent.refresh_from_db()
    assert contact_consent.revoked_at is not None
    part.case.refresh_from_db()
    assert part.case.status == "open"
    assert Identity.objects.filter(case=part.case).exists()


def test_revoking_processing_consent_anonymises_the_case(world, cm):  # type: ignore[no-untyped-def]
    part = world.wesel
    case = part.case
    Contact.objects.filter(case=case).update(note="Persönliche Notiz")
    contacts = Contact.objects.filter(case=case).count()
    assessments = Assessment.objects.filter(case=case).count()
    consent = part.objects["consent"]
    page = cm.get(url(world, "consent_revoke", consent=consent.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "kern-alert--danger" in html
    response = cm.post(url(world, "consent_revoke", consent=consent.pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", kwargs={"tenant": part.tenant.slug, "pk": case.pk})
    case.refresh_from_db()
    assert not Identity.objects.filter(case=case).exists()
    assert case.status == "closed"
    assert case.closure_reason == ClosureReason.CONSENT_REVOKED
    assert case.anonymised_at is not None
    assert case.is_anonymous
    assert not Release.objects.filter(case=case, revoked_at__isnull=True).exists()
    assert not Consent.objects.filter(case=case, revoked_at__isnull=True).exists()
    assert set(Contact.objects.filter(case=case).values_list("note", flat=True)) == {""}
    # the statistics stay
    assert Case.objects.filter(pk=case.pk).exists()
    assert Contact.objects.filter(case=case).count() == contacts > 0
    assert Assessment.objects.filter(case=case).count() == assessments > 0
    # the overview still opens, says what happened and offers nothing more
    overview = cm.get(url(world, "case_overview")).content.decode()
    assert "/revoke/" not in overview
    assert url(world, "consent_record") not in overview


def test_consent_and_release_of_another_case_are_not_found(world, cm):  # type: ignore[no-untyped-def]
    other = new_case(world, named=True)
    foreign_consent = world.coesfeld.objects["consent"]
    foreign_release = world.coesfeld.objects["release"]
    assert (
        cm.get(case_url(world, other, "consent_revoke", consent=world.wesel.objects["consent"].pk)).status_code == 404
    )
    assert cm.get(url(world, "consent_revoke", consent=foreign_consent.pk)).status_code == 404
    assert cm.post(url(world, "release_revoke", release=foreign_release.pk)).status_code == 404
    foreign_release.refresh_from_db()
    assert foreign_release.revoked_at is None


# --- Information sheet ----------------------------------------------------------------------


@pytest.mark.parametrize("language", ClientLanguage.values)
def test_sheet_pdf_in_every_language(world, cm, language):  # type: ignore[no-untyped-def]
    case = world.wesel.case
    response = cm.get(url(world, "sheet_pdf"), {"language": language})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="Datenschutzinformation-{case.number}-{language}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    event = AuditEvent.objects.filter(action="consent.sheet_printed", object_id=str(case.pk)).latest("seq")
    assert event.details == {"language": language}
    assert event.actor_id == world.wesel.users[Role.CASE_MANAGER].pk


def test_sheet_pdf_with_an_unknown_language_returns_to_the_overview(world, cm):  # type: ignore[no-untyped-def]
    response = cm.get(url(world, "sheet_pdf"), {"language": "xx"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == url(world, "case_overview")
    assert not AuditEvent.objects.filter(action="consent.sheet_printed").exists()


# --- Denial ---------------------------------------------------------------------------------


def write_urls(world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    o = world.wesel.objects
    return [
        ("get", url(world, "sheet_pdf") + "?language=de"),
        ("get", url(world, "consent_record")),
        ("post", url(world, "consent_record")),
        ("get", url(world, "consent_revoke", consent=o["consent"].pk)),
        ("post", url(world, "consent_revoke", consent=o["consent"].pk)),
        ("get", url(world, "release_record")),
        ("post", url(world, "release_record")),
        ("get", url(world, "release_revoke", release=o["release"].pk)),
        ("post", url(world, "release_revoke", release=o["release"].pk)),
    ]


def test_coordinator_sees_the_status_without_actions(world, signed_in):  # type: ignore[no-untyped-def]
    client = signed_in(world.wesel.users[Role.COORDINATOR])
    response = client.get(url(world, "case_overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert world.wesel.agency.name in html
    assert url(world, "consent_record") not in html
    assert url(world, "release_record") not in html
    assert url(world, "sheet_pdf") not in html
    assert "/revoke/" not in html
    assert "Amina" not in html and "Testfall" not in html
    for method, target in write_urls(world):
        assert getattr(client, method)(target).status_code == 403, (method, target)
    assert Release.objects.filter(revoked_at__isnull=False).count() == 0
    assert Identity.objects.filter(case=world.wesel.case).exists()


def test_another_case_manager_does_not_find_the_case(world, signed_in):  # type: ignore[no-untyped-def]
    other = UserFactory(username="we-other-cm")
    MembershipFactory(user=other, tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    client = signed_in(other)
    assert client.get(url(world, "case_overview")).status_code == 404
    for method, target in write_urls(world):
        assert getattr(client, method)(target).status_code == 404, (method, target)
    assert Identity.objects.filter(case=world.wesel.case).exists()


def test_other_tenant_does_not_find_the_case(world, signed_in):  # type: ignore[no-untyped-def]
    client = signed_in(world.coesfeld.users[Role.CASE_MANAGER])
    slug = world.coesfeld.tenant.slug
    pk = world.wesel.case.pk
    assert client.get(reverse("consent:case_overview", kwargs={"tenant": slug, "pk": pk})).status_code == 404
    assert client.post(reverse("consent:consent_record", kwargs={"tenant": slug, "pk": pk})).status_code == 404
    assert (
        client.get(reverse("consent:sheet_pdf", kwargs={"tenant": slug, "pk": pk}), {"language": "de"}).status_code
        == 404
    )
    # and under the other tenant's address there is no membership at all
    assert client.get(url(world, "case_overview")).status_code in (403, 404)
    assert Identity.objects.filter(case=world.wesel.case).exists()
