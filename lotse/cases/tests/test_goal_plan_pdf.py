"""The bilingual goal agreement plan as PDF in every client language: heading in the client's
language, the German labels, the goals and steps as entered, right to left for Arabic and Persian."""

from __future__ import annotations

import datetime
import logging
import re

import pytest

from lotse.cases.domains import RTL_LANGUAGES, ClientLanguage, LifeDomain
from lotse.cases.goal_plan import TEMPLATE, goal_plan_context, goal_plan_pdf
from lotse.cases.goal_plan_texts import ACTOR_LABELS, DOMAIN_LABELS, GOAL_PLAN_LABELS
from lotse.cases.models import Goal, IntakeChannel, StepActor
from lotse.cases.services.cases import case_open
from lotse.cases.services.work import goal_create, step_add, step_done
from lotse.consent.tests.test_pdf import as_extracted, assert_fonts_for, assert_reading_order, reader_text
from lotse.core.pdf import render_pdf_html
from lotse.tenants.tests.factories import MembershipFactory

LANGUAGES = list(ClientLanguage.values)
GOAL_TEXT = "Deutschkurs B1 abschließen"
STEP_TEXT = "Beim Kursträger anmelden"
ARABIC_STEP = "زيارة مركز العمل مع المترجم"


@pytest.fixture
def plan(db):
    membership = MembershipFactory()
    user = membership.user
    case = case_open(
        actor=user,
        tenant=membership.tenant,
        case_manager_id=user.pk,
        provider=membership.provider,
        pseudonym="Sonnenblume",
        intake_channel=IntakeChannel.WALK_IN,
    )
    language_goal = goal_create(case, actor=user, domain=LifeDomain.LANGUAGE, text=GOAL_TEXT)
    step_add(language_goal, actor=user, text=STEP_TEXT, actor_kind=StepActor.CLIENT, due_on=datetime.date(2026, 3, 12))
    done = step_add(language_goal, actor=user, text="Kurs finden", actor_kind=StepActor.CASE_MANAGER, due_on=None)
    step_done(done, actor=user)
    work_goal = goal_create(case, actor=user, domain=LifeDomain.WORK, text="Arbeit als Elektriker finden")
    step_add(work_goal, actor=user, text=ARABIC_STEP, actor_kind=StepActor.PARTNER, due_on=datetime.date(2026, 4, 1))
    goals = Goal.objects.filter(case=case).prefetch_related("steps")
    return case, goals


def test_labels_exist_in_every_language():
    for language in LANGUAGES:
        assert set(DOMAIN_LABELS[language]) == set(LifeDomain.values), language
        assert set(ACTOR_LABELS[language]) == set(StepActor.values), language
        assert set(GOAL_PLAN_LABELS[language]) == set(GOAL_PLAN_LABELS["de"]), language


@pytest.mark.parametrize("language", LANGUAGES)
def test_goal_plan_pdf_in_every_language(plan, language, tmp_path, caplog):
    case, goals = plan
    caplog.set_level(logging.WARNING, logger="weasyprint")
    pdf = goal_plan_pdf(case=case, goals=goals, language=language)

    assert pdf.startswith(b"%PDF-")
    text = reader_text(pdf)
    labels = GOAL_PLAN_LABELS[language]
    assert as_extracted(labels["heading"], language) in text
    # German next to the client's language
    for german in ("Zielvereinbarung", "Schritt", "Bis wann", "Sprache", "Ausbildung und Arbeit", "Partnerstelle"):
        assert german in text, (language, german)
    assert as_extracted(DOMAIN_LABELS[language][LifeDomain.LANGUAGE], language) in text
    assert as_extracted(ACTOR_LABELS[language][StepActor.PARTNER], language) in text
    # goals and steps as entered, due dates as dd.mm.yyyy
    assert GOAL_TEXT in text
    assert STEP_TEXT in text
    assert as_extracted(ARABIC_STEP, "ar") in text
    assert "12.03.2026" in text
    assert "01.04.2026" in text
    # case number and pseudonym, nothing else of the client
    assert case.number in text
    assert "Sonnenblume" in text
    assert_reading_order(pdf, labels["heading"], language)
    assert_fonts_for(pdf, language, tmp_path, caplog)


@pytest.mark.parametrize("language", LANGUAGES)
def test_goal_plan_html_carries_language_and_direction(plan, language):
    case, goals = plan
    page = render_pdf_html(TEMPLATE, goal_plan_context(case=case, goals=goals, language=language), language=language)
    direction = "rtl" if language in RTL_LANGUAGES else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in page
    # German parts are marked as German, left to right; texts keep their own direction
    if language != "de":
        assert re.search(r'<span class="secondary"\s+lang="de"\s+dir="ltr">Schritt</span>', page)
    assert re.search(rf'dir="ltr">\s*{GOAL_TEXT}\s*</p>', page)
    assert re.search(rf'<td dir="rtl">\s*{ARABIC_STEP}\s*</td>', page)


def test_goals_grouped_by_life_domain_in_domain_order(plan):
    case, goals = plan
    context = goal_plan_context(case=case, goals=goals, language="tr")
    assert [domain["label"]["client"] for domain in context["domains"]] == ["Dil", "Meslek eğitimi ve iş"]
    assert [domain["label"]["de"] for domain in context["domains"]] == ["Sprache", "Ausbildung und Arbeit"]
    steps = context["domains"][0]["goals"][0]["steps"]
    assert [(step["text"], step["due_on"], step["done"]) for step in steps] == [
        (STEP_TEXT, "12.03.2026", False),
        ("Kurs finden", "", True),  # steps without a date come last
    ]
    assert steps[0]["actor"] == {"client": "Siz (danışan)", "de": "Sie (Klient*in)"}


def test_plan_without_goals_says_so(plan):
    case, _goals = plan
    text = reader_text(goal_plan_pdf(case=case, goals=[], language="uk"))
    assert "Цілі ще не погоджено." in text
    assert "Es sind noch keine Ziele vereinbart." in text


def test_unknown_language_is_refused(plan):
    case, goals = plan
    with pytest.raises(ValueError):
        goal_plan_context(case=case, goals=goals, language="xx")
