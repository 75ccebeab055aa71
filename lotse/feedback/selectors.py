"""Reads of client feedback: aggregates per provider and question, never single responses.

The caller decides which providers the user may see (``lotse.access.steering`` for supervision)
and whether small counts must be suppressed before showing them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Avg, Count

from lotse.feedback.models import FeedbackResponse
from lotse.feedback.texts import QUESTIONS

ONE_PLACE = Decimal("0.1")


@dataclass(frozen=True)
class QuestionSummary:
    count: int  # responses that answered the question
    mean: Decimal | None  # on the scale 1–5, one decimal place; None without answers


@dataclass(frozen=True)
class ProviderFeedback:
    provider_id: int
    provider_name: str
    responses: int
    questions: dict[str, QuestionSummary]


def _mean(value: Any) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def feedback_summary(
    tenant_id: int,
    provider_ids: list[int] | None,
    month_from: datetime.date | None,
    month_to: datetime.date | None,
) -> list[ProviderFeedback]:
    """Per provider (of ``provider_ids``; ``None`` = all of the tenant) with responses in the
    months ``month_from`` … ``month_to`` (both included, any day of the month; ``None`` = open):
    the number of responses and, per question, the number of answers and their mean. One query,
    ordered by provider name."""
    qs = FeedbackResponse.objects.filter(tenant_id=tenant_id)
    if provider_ids is not None:
        qs = qs.filter(provider_id__in=provider_ids)
    if month_from is not None:
        qs = qs.filter(month__gte=month_from.replace(day=1))
    if month_to is not None:
        qs = qs.filter(month__lte=month_to.replace(day=1))
    aggregates: dict[str, Any] = {"responses": Count("pk")}
    for question in QUESTIONS:
        aggregates[f"{question}_count"] = Count(question)
        aggregates[f"{question}_mean"] = Avg(question)
    grouped = (
        qs.values("provider_id", "provider__name").annotate(**aggregates).order_by("provider__name", "provider_id")
    )
    rows = cast("list[dict[str, Any]]", list(grouped))
    return [
        ProviderFeedback(
            provider_id=row["provider_id"],
            provider_name=row["provider__name"],
            responses=row["responses"],
            questions={
                question: QuestionSummary(count=row[f"{question}_count"], mean=_mean(row[f"{question}_mean"]))
                for question in QUESTIONS
            },
        )
        for row in rows
    ]
