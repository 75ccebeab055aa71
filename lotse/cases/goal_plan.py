"""The goal agreement plan (Zielvereinbarung) as a bilingual PDF for the client (PRODUCT.md,
Module 1 – Goal agreement): every label in the client's language and in German, goals grouped by
life domain, each with its steps (what, by when, who, done). Case number and pseudonym only, no
identity. Texts: ``lotse.cases.goal_plan_texts``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from lotse.cases.domains import ClientLanguage, LifeDomain
from lotse.cases.goal_plan_texts import ACTOR_LABELS, DOMAIN_LABELS, GOAL_PLAN_LABELS
from lotse.cases.models import Case, Goal, GoalStep
from lotse.core.pdf import direction_of, render_pdf

TEMPLATE = "cases/pdf/goal_plan.html"


def format_date(day: datetime.date | None) -> str:
    """dd.mm.yyyy, the German form, also on plans in other languages; empty for no date."""
    return day.strftime("%d.%m.%Y") if day else ""


def _bilingual(texts: dict[str, dict[str, str]], key: str, language: str) -> dict[str, str]:
    """``client``: the text in the client's language; ``de``: the German text, empty when the client
    reads German (printed once)."""
    return {"client": texts[language][key], "de": texts["de"][key] if language != "de" else ""}


def _step(step: GoalStep, language: str) -> dict[str, Any]:
    return {
        "text": step.text,
        "dir": direction_of(step.text),
        "due_on": format_date(step.due_on),
        "actor": _bilingual(ACTOR_LABELS, step.actor, language),
        "done": step.done_on is not None,
        "done_on": format_date(step.done_on),
    }


def goal_plan_context(*, case: Case, goals: Iterable[Goal], language: str) -> dict[str, Any]:
    """Template context of the plan. ``goals`` with ``steps`` prefetched, in the order to print
    within a domain; domains follow the order of ``LifeDomain``."""
    if language not in ClientLanguage.values:
        raise ValueError(f"No goal plan in the language {language!r}.")
    by_domain: dict[str, list[dict[str, Any]]] = {}
    for goal in goals:
        by_domain.setdefault(goal.domain, []).append(
            {
                "text": goal.text,
                "dir": direction_of(goal.text),
                "agreed_on": format_date(goal.agreed_on),
                "steps": [_step(step, language) for step in goal.steps.all()],
            }
        )
    domains = [
        {"label": _bilingual(DOMAIN_LABELS, domain, language), "goals": by_domain[domain]}
        for domain in LifeDomain.values
        if domain in by_domain
    ]
    labels = {key: _bilingual(GOAL_PLAN_LABELS, key, language) for key in GOAL_PLAN_LABELS["de"]}
    return {
        "pdf_title": labels["heading"]["client"],
        "labels": labels,
        "case_number": case.number,
        "pseudonym": case.pseudonym,
        "pseudonym_dir": direction_of(case.pseudonym),
        "printed_on": format_date(timezone.localdate()),
        "domains": domains,
    }


def goal_plan_pdf(*, case: Case, goals: Iterable[Goal], language: str) -> bytes:
    """The bilingual goal agreement plan of ``case`` in German and ``language`` (one of
    ``ClientLanguage``); ``goals`` with ``steps`` prefetched."""
    return render_pdf(TEMPLATE, goal_plan_context(case=case, goals=goals, language=language), language=language)
