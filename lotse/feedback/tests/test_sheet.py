"""The feedback sheet the case manager prints at closure: a one-time link and QR code in the
client's language, naming neither the case nor the client, audited without the token."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.accounts.tests.factories import UserFactory
from lotse.audit.models import AuditEvent
from lotse.cases.domains import ClientLanguage
from lotse.cases.models import Case
from lotse.consent.tests.test_pdf import as_extracted, poppler, reader_text
from lotse.feedback.models import FeedbackToken
from lotse.feedback.sheet import qr_svg
from lotse.feedback.texts import TEXTS
from lotse.feedback.tokens import token_hash, token_lookup
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver/feedback/([A-Za-z0-9_-]+)/")


@pytest.fixture(autouse=True)
def _closure_requested(world):  # type: ignore[no-untyped-def]
    """The sheet belongs to the closure: the world's case waits for the coordinator's approval."""
    Case.objects.filter(pk=world.wesel.case.pk).update(status="closure_requested")


def test_an_open_case_gets_no_sheet(world, signed_in):  # type: ignore[no-untyped-def]
    Case.objects.filter(pk=world.wesel.case.pk).update(status="open")
    client = signed_in(world.wesel.users[Role.CASE_MANAGER])
    before = FeedbackToken.objects.count()
    response = client.post(sheet_url(world), {"language": "de"})
    assert response.status_code == 302
    assert FeedbackToken.objects.count() == before


def sheet_url(world, pk: int | None = None) -> str:  # type: ignore[no-untyped-def]
    return reverse("feedback_staff:sheet", kwargs={"tenant": world.wesel.tenant.slug, "pk": pk or world.wesel.case.pk})


def printed(world, signed_in, language: str | None = "ar"):  # type: ignore[no-untyped-def]
    client = signed_in(world.wesel.users[Role.CASE_MANAGER])
    return client.post(sheet_url(world), {"language": language} if language else {})


@pytest.mark.parametrize("language", ["ar", "de", "uk"])
def test_the_case_manager_gets_a_one_page_pdf_with_a_working_link(world, signed_in, language):
    response = printed(world, signed_in, language)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="Feedback-{language}.pdf"'
    content = reader_text(response.content)
    assert as_extracted(TEXTS[language].sheet_title, language) in content
    link = LINK.search(content)
    assert link, content
    token = token_lookup(link.group(1))
    assert token is not None and token.used is False
    assert token.provider_id == world.wesel.case.provider_id and token.language == language
    # the link opens the questionnaire in the sheet's language
    page = Client().get(reverse("feedback:form", kwargs={"token": link.group(1)}))
    assert page.status_code == 200 and TEXTS[language].title in page.content.decode()
    info = subprocess.run([poppler("pdfinfo"), "-"], input=response.content, capture_output=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout.decode(), re.M)  # one page


def test_the_sheet_names_neither_the_case_nor_the_client(world, signed_in):
    case = world.wesel.case
    content = reader_text(printed(world, signed_in, "de").content)
    for secret in (case.number, case.pseudonym, "Amina", "Testfall", f"/cases/{case.pk}/"):
        assert secret not in content
    assert world.wesel.provider.name in content  # the provider is no secret: it is on the door


def test_the_language_defaults_to_german(world, signed_in):
    before = FeedbackToken.objects.filter(language="de").count()
    response = printed(world, signed_in, None)
    assert response.status_code == 200
    assert TEXTS["de"].sheet_title in reader_text(response.content)
    assert FeedbackToken.objects.filter(language="de").count() == before + 1


def test_an_unknown_language_is_refused_with_a_message(world, signed_in):
    before = FeedbackToken.objects.count()
    response = printed(world, signed_in, "xx")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "cases:detail", kwargs={"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk}
    )
    assert FeedbackToken.objects.count() == before


def test_the_audit_event_names_the_case_but_not_the_token(world, signed_in):
    response = printed(world, signed_in, "fa")
    raw = LINK.search(reader_text(response.content)).group(1)  # type: ignore[union-attr]
    token = FeedbackToken.objects.get(token_hash=token_hash(raw))
    event = AuditEvent.objects.get(action="feedback.sheet_printed")
    assert (event.object_type, event.object_id) == ("cases.case", str(world.wesel.case.pk))
    assert event.actor_id == world.wesel.users[Role.CASE_MANAGER].pk
    # no language either: with provider, month and language on the answer it could single one out
    assert event.details == {}
    flat = str(event.details) + event.object_id
    assert raw not in flat and token.token_hash not in flat


def test_coordinators_and_other_roles_are_refused(world, signed_in):
    before = FeedbackToken.objects.count()
    for role in (Role.COORDINATOR, Role.PROVIDER_LEAD, Role.COMMITTEE_MEMBER, Role.TENANT_ADMIN):
        response = signed_in(world.wesel.users[role]).post(sheet_url(world), {"language": "de"})
        assert response.status_code in (403, 404), role
    assert FeedbackToken.objects.count() == before
    assert not AuditEvent.objects.filter(action="feedback.sheet_printed").exists()


def test_another_case_manager_cannot_print_for_a_case_not_theirs(world, signed_in):
    other = UserFactory(username="we-other-cm")
    MembershipFactory(user=other, tenant=world.wesel.tenant, role=Role.CASE_MANAGER, provider=world.wesel.provider)
    before = FeedbackToken.objects.count()
    assert signed_in(other).post(sheet_url(world), {"language": "de"}).status_code == 404
    # nor through the other tenant's URL for a Wesel case
    coesfeld = signed_in(world.coesfeld.users[Role.CASE_MANAGER])
    url = reverse("feedback_staff:sheet", kwargs={"tenant": world.coesfeld.tenant.slug, "pk": world.wesel.case.pk})
    assert coesfeld.post(url, {"language": "de"}).status_code == 404
    assert FeedbackToken.objects.count() == before


def test_get_is_not_allowed(world, signed_in):
    client = signed_in(world.wesel.users[Role.CASE_MANAGER])
    assert client.get(sheet_url(world)).status_code == 405


def test_an_anonymised_case_gets_no_sheet(world, signed_in):
    Case.objects.filter(pk=world.wesel.case.pk).update(status="closed", anonymised_at=timezone.now())
    before = FeedbackToken.objects.count()
    response = printed(world, signed_in, "de")
    assert response.status_code == 302
    assert FeedbackToken.objects.count() == before
    assert not AuditEvent.objects.filter(action="feedback.sheet_printed").exists()
    page = signed_in(world.wesel.users[Role.CASE_MANAGER]).get(response["Location"])
    assert "anonymised" in page.content.decode() or "anonymisiert" in page.content.decode()


def test_a_restricted_case_gets_no_sheet(world, signed_in):
    """Art. 18: a restricted case is only stored; printing a sheet for it is processing."""
    Case.objects.filter(pk=world.wesel.case.pk).update(
        status="closed", restricted_at=timezone.now(), restriction_reason="Widerspruch"
    )
    before = FeedbackToken.objects.count()
    response = printed(world, signed_in, "de")
    assert response.status_code == 302
    assert FeedbackToken.objects.count() == before
    assert not AuditEvent.objects.filter(action="feedback.sheet_printed").exists()


# --- the button on the case overview -----------------------------------------------------------


def detail(world, client: Client) -> str:  # type: ignore[no-untyped-def]
    url = reverse("cases:detail", kwargs={"tenant": world.wesel.tenant.slug, "pk": world.wesel.case.pk})
    return client.get(url).content.decode()


def test_the_overview_of_a_closed_case_offers_the_sheet_to_its_case_manager_only(world, signed_in):
    action = sheet_url(world)
    case_manager = signed_in(world.wesel.users[Role.CASE_MANAGER])
    Case.objects.filter(pk=world.wesel.case.pk).update(status="open")
    assert action not in detail(world, case_manager)  # open case: not yet
    Case.objects.filter(pk=world.wesel.case.pk).update(status="closed", closed_on=timezone.localdate())
    page = detail(world, case_manager)
    assert f'action="{action}"' in page and 'name="language"' in page
    assert action not in detail(world, signed_in(world.wesel.users[Role.COORDINATOR]))
    Case.objects.filter(pk=world.wesel.case.pk).update(anonymised_at=timezone.now())
    assert action not in detail(world, case_manager)


def test_the_button_offers_exactly_the_client_languages():
    partial = Path(__file__).parents[1] / "templates" / "feedback" / "partials" / "sheet_button.html"
    options = re.findall(r'<option value="([a-z]+)" lang="\1"', partial.read_text())
    assert options == list(ClientLanguage.values)


def test_the_qr_code_is_inline_svg_of_the_link():
    svg = str(qr_svg("https://example.org/feedback/abc/"))
    assert svg.startswith('<svg width="48mm" height="48mm"')
    assert "<script" not in svg and "style=" not in svg
