"""The public questionnaire: one-time tokens, the hourly limit per client address, languages and
anonymity of the stored answers."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lotse.feedback import services
from lotse.feedback.models import FeedbackAttempt, FeedbackResponse, FeedbackToken
from lotse.feedback.texts import QUESTIONS, TEXTS
from lotse.feedback.tokens import token_consume, token_hash, token_issue, token_lookup

pytestmark = pytest.mark.django_db

ANSWERS = {"understood": "5", "helped": "4", "respected": "5", "reachable": "", "recommend": "3"}


def form_url(token: str, lang: str | None = None) -> str:
    url = reverse("feedback:form", kwargs={"token": token})
    return f"{url}?lang={lang}" if lang else url


def issue(world, language: str = "de") -> str:  # type: ignore[no-untyped-def]
    return token_issue(tenant_id=world.wesel.tenant.pk, provider_id=world.wesel.provider.pk, language=language)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def token_row(raw: str) -> FeedbackToken:
    return FeedbackToken.objects.get(token_hash=token_hash(raw))


# --- submitting ---------------------------------------------------------------------------------


def test_valid_answers_are_stored_for_the_provider_and_month_and_consume_the_token(world):
    raw = issue(world, "tr")
    response = Client().post(form_url(raw), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('feedback:thanks')}?lang=tr"
    stored = FeedbackResponse.objects.get()
    assert stored.tenant_id == world.wesel.tenant.pk
    assert stored.provider_id == world.wesel.provider.pk
    assert stored.month == timezone.localdate().replace(day=1)
    assert stored.language == "tr"
    assert (stored.understood, stored.helped, stored.respected, stored.reachable, stored.recommend) == (
        5,
        4,
        5,
        None,
        3,
    )
    assert token_row(raw).used is True


def test_the_response_row_holds_no_token_case_or_person(world):
    """Nothing in a stored response points back to the token, the case or the client."""
    raw = issue(world)
    Client().post(form_url(raw), ANSWERS, REMOTE_ADDR="203.0.113.9")
    fields = {f.name for f in FeedbackResponse._meta.get_fields()}
    assert fields == {"id", "tenant", "provider", "month", "language", *QUESTIONS}
    row = FeedbackResponse.objects.values().get()
    values = {str(value) for value in row.values()}
    token = token_row(raw)
    assert raw not in values and token.token_hash not in values
    assert row == {
        "id": row["id"],
        "tenant_id": world.wesel.tenant.pk,
        "provider_id": world.wesel.provider.pk,
        "month": timezone.localdate().replace(day=1),
        "language": "de",
        "understood": 5,
        "helped": 4,
        "respected": 5,
        "reachable": None,
        "recommend": 3,
    }
    assert world.wesel.case.number not in values and "203.0.113.9" not in values
    # the attempt row keeps a keyed hash, never the address
    attempt = FeedbackAttempt.objects.get()
    assert re.fullmatch(r"[0-9a-f]{64}", attempt.address_hash) and "203.0.113" not in attempt.address_hash


def test_a_reused_token_is_refused_with_a_message_and_nothing_stored(world):
    raw = issue(world, "en")
    client = Client()
    assert client.post(form_url(raw), ANSWERS).status_code == 302
    again = client.post(form_url(raw), {"understood": "1"})
    assert again.status_code == 410
    assert TEXTS["en"].errors["used"] in text(again)
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackResponse.objects.get().understood == 5
    # and the link itself says so
    shown = client.get(form_url(raw))
    assert shown.status_code == 410 and TEXTS["en"].errors["used"] in text(shown)
    assert 'name="understood"' not in text(shown)


def test_consuming_is_a_conditional_update_that_succeeds_once():
    """Two requests holding the same token: only the first UPDATE changes the row."""
    from lotse.tenants.tests.factories import ProviderFactory

    provider = ProviderFactory()
    raw = token_issue(tenant_id=provider.tenant_id, provider_id=provider.pk, language="de")
    first, second = token_lookup(raw), token_lookup(raw)
    assert first is not None and second is not None
    with transaction.atomic():
        assert token_consume(first) is True
        assert token_consume(second) is False


def test_a_token_used_by_a_parallel_request_is_refused_in_the_transaction(world, monkeypatch):
    """The token was read as unused, but another request consumed it before this one's UPDATE."""
    raw = issue(world)
    stale = token_lookup(raw)
    with transaction.atomic():
        assert token_consume(token_lookup(raw))  # type: ignore[arg-type]
    monkeypatch.setattr(services, "token_lookup", lambda _raw: stale)
    with pytest.raises(services.ValidationError) as refused:
        services.feedback_submit(token_raw=raw, language="de", answers={"helped": 4}, address="192.0.2.1")
    assert refused.value.code == "used"
    assert not FeedbackResponse.objects.exists()


def test_an_unknown_token_gets_404_with_a_message(world):
    client = Client()
    shown = client.get(form_url("not-a-real-token-0123456789", "ru"))
    assert shown.status_code == 404
    assert TEXTS["ru"].errors["unknown"] in text(shown)
    posted = client.post(form_url("not-a-real-token-0123456789"), ANSWERS)
    assert posted.status_code == 404 and TEXTS["de"].errors["unknown"] in text(posted)
    assert not FeedbackResponse.objects.exists()
    assert FeedbackAttempt.objects.count() == 1  # the guess counted against the address


def test_an_expired_token_is_refused(world):
    raw = issue(world, "uk")
    FeedbackToken.objects.filter(token_hash=token_hash(raw)).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    client = Client()
    shown = client.get(form_url(raw))
    assert shown.status_code == 410 and TEXTS["uk"].errors["expired"] in text(shown)
    posted = client.post(form_url(raw), ANSWERS)
    assert posted.status_code == 410 and TEXTS["uk"].errors["expired"] in text(posted)
    assert not FeedbackResponse.objects.exists()
    assert token_row(raw).used is False


def test_an_empty_submission_asks_for_one_answer_and_keeps_the_token(world):
    raw = issue(world, "ar")
    client = Client()
    empty = client.post(form_url(raw), dict.fromkeys(QUESTIONS, ""))
    assert empty.status_code == 200
    assert TEXTS["ar"].errors["empty"] in text(empty)
    assert token_row(raw).used is False and not FeedbackResponse.objects.exists()
    assert client.post(form_url(raw), {}).status_code == 200  # nothing posted at all: the same
    assert client.post(form_url(raw), {"respected": "2"}).status_code == 302
    assert FeedbackResponse.objects.get().respected == 2


def test_values_outside_the_scale_are_refused(world):
    raw = issue(world, "en")
    response = Client().post(form_url(raw), {"understood": "9", "helped": "<b>Name</b>"})
    assert response.status_code == 200
    assert TEXTS["en"].errors["invalid"] in text(response)
    assert "<b>Name</b>" not in text(response)
    assert token_row(raw).used is False and not FeedbackResponse.objects.exists()


def test_there_is_no_free_text_field(world):
    page = text(Client().get(form_url(issue(world))))
    assert "<textarea" not in page
    inputs = re.findall(r"<input [^>]*>", page)
    assert inputs and all('type="radio"' in tag or 'name="csrfmiddlewaretoken"' in tag for tag in inputs)


# --- the hourly limit per client address ----------------------------------------------------------


def test_the_fourth_submission_within_an_hour_is_refused_and_another_address_still_works(world, settings):
    settings.FEEDBACK_MAX_PER_HOUR = 3
    client = Client()
    tokens = [issue(world) for _ in range(5)]
    for raw in tokens[:3]:
        assert client.post(form_url(raw), ANSWERS, REMOTE_ADDR="203.0.113.5").status_code == 302
    refused = client.post(form_url(tokens[3], "tr"), ANSWERS, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert TEXTS["tr"].errors["rate_limited"] in text(refused)
    assert FeedbackResponse.objects.count() == 3
    assert token_row(tokens[3]).used is False
    assert client.post(form_url(tokens[3]), ANSWERS, REMOTE_ADDR="198.51.100.7").status_code == 302
    assert FeedbackResponse.objects.count() == 4


def test_every_post_counts_so_tokens_cannot_be_guessed(world, settings):
    settings.FEEDBACK_MAX_PER_HOUR = 3
    client = Client()
    for guess in ("guess-1", "guess-2", "guess-3"):
        assert client.post(form_url(guess), ANSWERS, REMOTE_ADDR="203.0.113.6").status_code == 404
    raw = issue(world)
    # even a real token and an empty or invalid form from that address are refused now
    assert client.post(form_url(raw), ANSWERS, REMOTE_ADDR="203.0.113.6").status_code == 429
    assert client.post(form_url(raw), {"helped": "9"}, REMOTE_ADDR="203.0.113.6").status_code == 429
    assert token_row(raw).used is False and not FeedbackResponse.objects.exists()


def test_ipv6_addresses_count_per_64_network(world, settings):
    settings.FEEDBACK_MAX_PER_HOUR = 1
    client = Client()
    first, second = issue(world), issue(world)
    assert client.post(form_url(first), ANSWERS, REMOTE_ADDR="2001:db8:1:2::10").status_code == 302
    assert client.post(form_url(second), ANSWERS, REMOTE_ADDR="2001:db8:1:2:ffff::1").status_code == 429
    assert client.post(form_url(second), ANSWERS, REMOTE_ADDR="2001:db8:1:3::10").status_code == 302


def test_attempts_older_than_an_hour_no_longer_count_and_are_purged(world, settings):
    settings.FEEDBACK_MAX_PER_HOUR = 1
    old = timezone.now() - datetime.timedelta(minutes=61)
    FeedbackAttempt.objects.create(address_hash=services.address_hash("203.0.113.7"), created_at=old)
    FeedbackAttempt.objects.create(address_hash=services.address_hash("192.0.2.99"), created_at=old)
    assert Client().post(form_url(issue(world)), ANSWERS, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert not FeedbackAttempt.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(hours=1)).exists()
    assert FeedbackAttempt.objects.count() == 1


def test_get_requests_do_not_count(world, settings):
    settings.FEEDBACK_MAX_PER_HOUR = 1
    raw = issue(world)
    client = Client()
    for _ in range(3):
        assert client.get(form_url(raw), REMOTE_ADDR="203.0.113.8").status_code == 200
    assert not FeedbackAttempt.objects.exists()


# --- languages, shell, CSRF -----------------------------------------------------------------------

ARABIC_SCRIPT = re.compile("[\u0600-\u06ff]")


@pytest.mark.parametrize("language", list(TEXTS))
def test_every_language_renders_with_its_own_direction(world, language):
    page = text(Client().get(form_url(issue(world), language)))
    rtl = language in ("ar", "fa")
    assert f'<html lang="{language}" dir="{"rtl" if rtl else "ltr"}">' in page
    assert f'<div class="lotse-narrow" lang="{language}" dir="{"rtl" if rtl else "ltr"}">' in page
    texts = TEXTS[language]
    for snippet in (texts.title, texts.intro, texts.submit, texts.no_answer, *texts.questions.values()):
        assert snippet in page
    assert bool(ARABIC_SCRIPT.search(texts.title)) is rtl
    # the language links: each in its own language
    for code, other in TEXTS.items():
        assert re.search(rf'href="[^"]*\?lang={code}"\s+lang="{code}"\s+hreflang="{code}"', page)
        assert other.language_name in page
    assert page.count("<h1") == 1


def test_arabic_page_is_right_to_left_in_arabic(world):
    page = text(Client().get(form_url(issue(world), "ar")))
    assert 'dir="rtl"' in page
    assert "رأيك في الاستشارة" in page
    assert "١ – إطلاقًا" in page  # scale labels in Arabic digits


def test_the_token_language_is_the_default_and_lang_switches(world):
    raw = issue(world, "uk")
    client = Client()
    assert TEXTS["uk"].title in text(client.get(form_url(raw)))
    assert TEXTS["fa"].title in text(client.get(form_url(raw, "fa")))
    assert TEXTS["uk"].title in text(client.get(form_url(raw, "xx")))  # unknown value: the token's language
    # the answer keeps the language the form was shown in
    assert client.post(form_url(raw, "fa"), ANSWERS).status_code == 302
    assert FeedbackResponse.objects.get().language == "fa"


def test_the_thanks_page_speaks_the_chosen_language():
    for language, texts in TEXTS.items():
        page = Client().get(f"{reverse('feedback:thanks')}?lang={language}")
        assert page.status_code == 200 and texts.thanks_text in text(page)
    assert TEXTS["de"].thanks_title in text(Client().get(reverse("feedback:thanks")))


def test_csrf_protects_the_anonymous_form_and_no_other_cookie_is_set(world, settings):
    raw = issue(world)
    client = Client(enforce_csrf_checks=True)
    page = client.get(form_url(raw))
    assert set(client.cookies) == {settings.CSRF_COOKIE_NAME}
    assert page["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert client.post(form_url(raw), ANSWERS).status_code == 403  # no CSRF token
    assert token_row(raw).used is False
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page))
    assert csrf is not None
    assert client.post(form_url(raw), {**ANSWERS, "csrfmiddlewaretoken": csrf.group(1)}).status_code == 302
    assert set(client.cookies) == {settings.CSRF_COOKIE_NAME}


def test_the_form_shows_no_staff_data_to_signed_in_users(world, signed_in):
    """Staff opening a link see the client page, not the staff shell."""
    page = text(signed_in(world.wesel.users["case_manager"]).get(form_url(issue(world))))
    assert world.wesel.users["case_manager"].username not in page
    assert world.wesel.tenant.name not in page
