"""``feedback_summary``: counts and means per provider and question in one query."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from lotse.feedback.models import FeedbackResponse
from lotse.feedback.selectors import feedback_summary
from lotse.feedback.texts import QUESTIONS

pytestmark = pytest.mark.django_db

JAN = datetime.date(2026, 1, 1)
FEB = datetime.date(2026, 2, 1)
MAR = datetime.date(2026, 3, 1)


def answer(tenant_world, provider, month: datetime.date, **values: int | None) -> None:  # type: ignore[no-untyped-def]
    FeedbackResponse.objects.create(tenant=tenant_world.tenant, provider=provider, month=month, language="de", **values)


@pytest.fixture
def responses(world):  # type: ignore[no-untyped-def]
    we = world.wesel
    answer(we, we.provider, JAN, understood=5, helped=4, respected=5, reachable=None, recommend=4)
    answer(we, we.provider, FEB, understood=4, helped=None, respected=5, reachable=2, recommend=5)
    answer(we, we.provider, FEB, understood=4, helped=3, respected=None, reachable=None, recommend=None)
    answer(we, we.other_provider, FEB, understood=1, helped=2, respected=3, reachable=4, recommend=5)
    answer(we, we.provider, MAR, understood=1)
    # another tenant's answers never count
    co = world.coesfeld
    answer(co, co.provider, FEB, understood=1, helped=1, respected=1, reachable=1, recommend=1)
    return world


def test_counts_and_means_per_provider_and_question(responses, django_assert_num_queries):
    we = responses.wesel
    with django_assert_num_queries(1):
        summary = feedback_summary(we.tenant.pk, None, JAN, FEB)
    assert [row.provider_id for row in summary] == [we.provider.pk, we.other_provider.pk]  # by name: A, B
    first, second = summary
    assert first.provider_name == we.provider.name and first.responses == 3
    assert {q: (s.count, s.mean) for q, s in first.questions.items()} == {
        "understood": (3, Decimal("4.3")),  # 13 / 3 = 4.33…
        "helped": (2, Decimal("3.5")),
        "respected": (2, Decimal("5.0")),
        "reachable": (1, Decimal("2.0")),
        "recommend": (2, Decimal("4.5")),
    }
    assert second.responses == 1 and second.questions["reachable"].mean == Decimal("4.0")


def test_filters_by_provider_and_month_range(responses):
    we = responses.wesel
    only_a = feedback_summary(we.tenant.pk, [we.provider.pk], FEB, datetime.date(2026, 3, 31))
    assert len(only_a) == 1 and only_a[0].responses == 3
    assert only_a[0].questions["understood"].mean == Decimal("3.0")  # 4, 4, 1
    assert feedback_summary(we.tenant.pk, [], None, None) == []
    open_start = feedback_summary(we.tenant.pk, [we.other_provider.pk], None, JAN)
    assert open_start == []


def test_a_question_nobody_answered_has_no_mean(world):
    we = world.wesel
    answer(we, we.provider, JAN, understood=3)
    (row,) = feedback_summary(we.tenant.pk, None, None, None)
    assert row.questions["helped"].count == 0 and row.questions["helped"].mean is None
    assert set(row.questions) == set(QUESTIONS)
