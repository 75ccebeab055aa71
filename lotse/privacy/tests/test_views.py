"""The data-protection officer's pages through the test client: the request workflow, bad
input, denial for everyone else, and the restriction as the case manager meets it in the UI."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.cases.models import Case, Contact, Goal, Identity
from lotse.privacy.models import PrivacyRequest
from lotse.privacy.tests.helpers import open_request
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db
DPO = Role.DATA_PROTECTION_OFFICER


def _url(world, name, **kwargs):  # type: ignore[no-untyped-def]
    return reverse(f"privacy:{name}", kwargs={"tenant": world.wesel.tenant.slug, **kwargs})


def test_dpo_opens_an_access_request_and_downloads(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.wesel.users[DPO])
    response = client.post(
        _url(world, "request_create"),
        {"number": world.wesel.case.number, "kind": "access", "reference": "Az. 5", "reason": "Brief vom 1.2."},
    )
    request = PrivacyRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == _url(world, "request_detail", pk=request.pk)
    assert AuditEvent.objects.filter(action="privacy.request_opened", object_id=str(world.wesel.case.pk)).exists()
    page = client.get(_url(world, "request_detail", pk=request.pk))
    assert page.status_code == 200 and world.wesel.case.number in page.content.decode()
    download = client.get(_url(world, "request_json", pk=request.pk))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "no-store"
    assert json.loads(download.content)["identity"]["given_name"] == "Amina"
    pdf = client.get(_url(world, "request_pdf", pk=request.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # downloads belong to access requests only
    other = open_request(world.wesel, world.wesel.case, "erasure")
    assert client.get(_url(world, "request_json", pk=other.pk)).status_code == 404


@pytest.mark.parametrize("number", ["", "KIM-0000-99999", "  "])
def test_unknown_case_number_changes_nothing(world, signed_in, number) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.wesel.users[DPO])
    response = client.post(
        _url(world, "request_create"), {"number": number, "kind": "access", "reference": "r", "reason": "r"}
    )
    assert response.status_code == 200
    assert not PrivacyRequest.objects.exists()


def test_other_tenants_case_number_is_not_found(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    Case.objects.filter(pk=world.coesfeld.case.pk).update(number="COE-2026-00077")
    client = signed_in(world.wesel.users[DPO])
    response = client.post(
        _url(world, "request_create"),
        {"number": "COE-2026-00077", "kind": "access", "reference": "r", "reason": "r"},
    )
    assert response.status_code == 200 and not PrivacyRequest.objects.exists()


def test_dpo_reaches_no_case_page(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in(world.wesel.users[DPO])
    open_request(world.wesel, world.wesel.case, "access")
    kwargs = {"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk}
    for name in ("cases:detail", "cases:identity", "cases:contact_list", "cases:goal_list", "cases:document_list"):
        assert client.get(reverse(name, kwargs=kwargs)).status_code in (403, 404), name
    assert client.get(reverse("cases:list", kwargs={"tenant": world.wesel.tenant.slug})).status_code in (403, 404)


def test_other_roles_and_tenants_get_nothing(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    request = open_request(world.wesel, world.wesel.case, "access")
    urls = [
        _url(world, "overview"),
        _url(world, "request_detail", pk=request.pk),
        _url(world, "request_json", pk=request.pk),
        _url(world, "retention"),
    ]
    for role in (Role.CASE_MANAGER, Role.COORDINATOR, Role.TENANT_ADMIN, Role.PROVIDER_LEAD):
        client = signed_in(world.wesel.users[role])
        for url in urls:
            assert client.get(url).status_code in (403, 404), (role, url)
    coesfeld_dpo = signed_in(world.coesfeld.users[DPO])
    for url in urls:
        assert coesfeld_dpo.get(url).status_code in (403, 404), url
    # a Coesfeld request addressed through the Coesfeld tenant by its own DPO works; through
    # Wesel's slug the Wesel DPO cannot reach it
    foreign = open_request(world.coesfeld, world.coesfeld.case, "access")
    wesel_dpo = signed_in(world.wesel.users[DPO])
    assert wesel_dpo.get(_url(world, "request_json", pk=foreign.pk)).status_code == 404


def test_restriction_freezes_the_case_in_the_ui(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "restriction")
    dpo = signed_in(world.wesel.users[DPO])
    # empty reason: refused, nothing changes
    assert dpo.post(_url(world, "restrict", pk=request.pk), {"version": case.version, "reason": ""}).status_code == 200
    assert not Case.objects.get(pk=case.pk).is_restricted
    response = dpo.post(
        _url(world, "restrict", pk=request.pk), {"version": case.version, "reason": "Richtigkeit bestritten"}
    )
    assert response.status_code == 302 and Case.objects.get(pk=case.pk).is_restricted

    cm = signed_in(world.wesel.users[Role.CASE_MANAGER])
    kwargs = {"tenant": world.wesel.tenant.slug, "pk": case.pk}
    for name in ("cases:detail", "cases:contact_list", "cases:goal_list", "cases:identity"):
        page = cm.get(reverse(name, kwargs=kwargs))
        assert page.status_code == 200 and 'role="alert"' in page.content.decode(), name
    contacts, goals = Contact.objects.count(), Goal.objects.count()
    posts = {
        "cases:contact_create": {
            "occurred_on": "01.01.2026",
            "kind": "phone",
            "duration_minutes": 5,
            "effort_minutes": 5,
        },
        "cases:goal_create": {"domain": "work", "text": "Neu"},
        "cases:identity_erase": {"confirm": "1"},
        "cases:edit": {"pseudonym": "x", "intake_channel": "walk_in"},
    }
    for name, data in posts.items():
        answer = cm.post(reverse(name, kwargs=kwargs), data, follow=True)
        assert answer.status_code in (200, 403), name
        assert answer.status_code != 200 or 'role="alert"' in answer.content.decode(), name
    assert (Contact.objects.count(), Goal.objects.count()) == (contacts, goals)
    assert Identity.objects.filter(case=case).exists()

    lift = _url(world, "restriction_lift", pk=request.pk)
    # without confirm=1 nothing happens
    assert dpo.post(lift, {"version": Case.objects.get(pk=case.pk).version}).status_code == 200
    assert Case.objects.get(pk=case.pk).is_restricted
    assert dpo.post(lift, {"version": Case.objects.get(pk=case.pk).version, "confirm": "1"}).status_code == 302
    assert not Case.objects.get(pk=case.pk).is_restricted
    assert 'role="alert"' not in cm.get(reverse("cases:detail", kwargs=kwargs)).content.decode()


def test_erasure_through_the_ui_needs_confirmation(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "erasure")
    dpo = signed_in(world.wesel.users[DPO])
    url = _url(world, "erase", pk=request.pk)
    assert dpo.post(url, {"version": case.version}).status_code == 200
    assert Identity.objects.filter(case=case).exists()
    assert dpo.post(url, {"version": case.version, "confirm": "1"}).status_code == 302
    assert not Identity.objects.filter(case=case).exists()


def test_rectification_through_the_ui(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    case = world.wesel.case
    request = open_request(world.wesel, case, "rectification")
    dpo = signed_in(world.wesel.users[DPO])
    url = _url(world, "rectify", pk=request.pk)
    form = dpo.get(url)
    assert form.status_code == 200 and "Amina" in form.content.decode()
    data = {
        "version": case.version,
        "identity_version": 1,
        "pseudonym": "Fall Test",
        "given_name": "Amina",
        "family_name": "Testfall-Neu",
        "birth_date": "17.05.1990",
        "reason": "Namensänderung",
    }
    assert dpo.post(url, data).status_code == 302
    history = dpo.get(_url(world, "request_detail", pk=request.pk)).content.decode()
    assert "family_name" in history and "Testfall" in history
    # the same form again: the versions are stale now
    stale = dpo.post(url, {**data, "family_name": "Anders"})
    assert stale.status_code == 302 and stale["Location"] == url


def test_retention_page_edits_the_rule(world, signed_in) -> None:  # type: ignore[no-untyped-def]
    from lotse.privacy.services import retention_rule

    dpo = signed_in(world.wesel.users[DPO])
    rule = retention_rule(world.wesel.tenant)
    assert dpo.post(_url(world, "retention"), {"version": rule.version, "months": "-3"}).status_code == 200
    assert dpo.post(_url(world, "retention"), {"version": rule.version, "months": "24"}).status_code == 302
    rule.refresh_from_db()
    assert rule.months == 24
    assert dpo.get(_url(world, "overview")).status_code == 200
