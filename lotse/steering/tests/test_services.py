"""Generative themes: live counts, the escalation rule, and grouping barriers (assign, remove,
merge, split), renaming and moving on the staircase — each with its history and audit event,
and each refusal changing nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from lotse.audit.models import AuditEvent
from lotse.cases.models import Barrier
from lotse.committees.models import AgendaItem
from lotse.core.versioning import StaleObjectError
from lotse.steering import selectors, services
from lotse.steering.models import DEFAULT_LEVEL_NAMES, StaircaseSettings, Theme, ThemeEventKind, ThemeStatus
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def coordinator(world):  # type: ignore[no-untyped-def]
    return world.wesel.users[Role.COORDINATOR]


def new_theme(world, title: str = "Anerkennung von Abschlüssen", **kwargs) -> Theme:  # type: ignore[no-untyped-def]
    return services.theme_create(actor=coordinator(world), tenant=world.wesel.tenant, title=title, **kwargs)


def kinds(theme: Theme) -> list[str]:
    return list(theme.events.order_by("pk").values_list("kind", flat=True))


# --- counts and escalation ------------------------------------------------------------------


def test_counts_are_distinct_cases_providers_and_municipalities(world, ctx, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]  # holds the world's barrier: case 1, provider A, no municipality
    second_place = MunicipalityFactory(tenant=w.tenant, name="Hamminkeln")
    make_barrier(w.case, theme=theme, municipality=w.municipality)  # same case again
    other_case = make_case(provider=w.other_provider)
    make_barrier(other_case, theme=theme, municipality=w.municipality)
    make_barrier(other_case, theme=theme, municipality=second_place)
    make_barrier(make_case(), municipality=second_place)  # no theme: not counted

    [counted] = selectors.themes_with_counts(ctx())
    assert counted.pk == theme.pk
    assert (counted.case_count, counted.provider_count, counted.municipality_count, counted.barrier_count) == (
        2,
        2,
        2,
        4,
    )
    detail = selectors.theme_with_counts(ctx(), theme.pk)
    assert (detail.case_count, detail.provider_count, detail.municipality_count) == (2, 2, 2)


def test_escalation_follows_the_configurable_thresholds(world, ctx, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    make_barrier(make_case(provider=w.other_provider), theme=theme)  # now 2 cases, 2 providers

    def marked() -> bool:
        return selectors.themes_with_counts(ctx())[0].to_escalate

    assert not marked()  # defaults: 10 cases or 3 providers
    staircase = services.staircase_settings_get(tenant=w.tenant)
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, escalate_cases=2
    )
    assert marked()  # 2 cases reach N = 2 on level 1 < 4
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, escalate_cases=3, escalate_providers=2
    )
    assert marked()  # now by providers
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, escalate_providers=3
    )
    assert not marked()
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, escalate_cases=1
    )
    assert marked()
    Theme.objects.filter(pk=theme.pk).update(level=4)  # reached the target level: no mark
    assert not marked()
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, escalate_below_level=5
    )
    assert marked()
    assert AuditEvent.objects.filter(action="staircase.settings_changed").count() == 5


def test_level_names_default_and_per_tenant(world):
    w = world.wesel
    staircase = services.staircase_settings_get(tenant=w.tenant)
    assert staircase.level_name(5) == str(DEFAULT_LEVEL_NAMES[5])
    services.staircase_settings_update(
        staircase, actor=coordinator(world), expected_version=staircase.version, level_5="  Lenkungsgruppe KIM "
    )
    assert selectors.staircase_for(w.tenant).level_name(5) == "Lenkungsgruppe KIM"
    # the other district keeps the defaults
    assert selectors.staircase_for(world.coesfeld.tenant).level_name(5) == str(DEFAULT_LEVEL_NAMES[5])
    with pytest.raises(ValidationError):
        services.staircase_settings_update(
            staircase, actor=coordinator(world), expected_version=staircase.version, escalate_below_level=1
        )


def test_trend_counts_new_barriers_and_distinct_cases_per_month(world, make_case, make_barrier):
    w = world.wesel
    theme = new_theme(world)
    today = datetime.date(2026, 6, 15)
    second = make_case()
    make_barrier(w.case, theme=theme, recorded_on=datetime.date(2026, 6, 1))
    make_barrier(w.case, theme=theme, recorded_on=datetime.date(2026, 6, 10))
    make_barrier(second, theme=theme, recorded_on=datetime.date(2026, 6, 12))
    make_barrier(second, theme=theme, recorded_on=datetime.date(2026, 4, 30))
    make_barrier(second, theme=theme, recorded_on=datetime.date(2025, 6, 30))  # 12 months back: outside
    trend = selectors.theme_trend(theme, today=today)
    assert len(trend.labels) == 12
    assert trend.barriers[-1] == 3 and trend.cases[-1] == 2  # June 2026
    assert trend.barriers[-3] == 1 and trend.cases[-3] == 1  # April 2026
    assert sum(trend.barriers) == 4


# --- assign and remove ----------------------------------------------------------------------


def test_assign_to_a_new_theme_and_on_to_another(world, make_case, make_barrier):
    w = world.wesel
    first = make_barrier(make_case())
    second = make_barrier(make_case())
    theme = services.barriers_assign(
        actor=coordinator(world), tenant=w.tenant, barrier_ids=[first.pk, second.pk], title=" Kita-Plätze "
    )
    assert theme.title == "Kita-Plätze" and theme.level == 1 and theme.status == ThemeStatus.ACTIVE
    assert set(theme.barriers.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert kinds(theme) == [ThemeEventKind.CREATED, ThemeEventKind.BARRIERS_ADDED]

    other = w.objects["theme"]
    services.barriers_assign(actor=coordinator(world), tenant=w.tenant, barrier_ids=[first.pk], theme=other)
    assert Barrier.objects.get(pk=first.pk).theme_id == other.pk
    removed = theme.events.get(kind=ThemeEventKind.BARRIERS_REMOVED)
    assert removed.other_theme_id == other.pk and removed.barrier_count == 1
    assert AuditEvent.objects.filter(action="theme.barriers_assigned", object_id=str(other.pk)).exists()


@pytest.mark.parametrize(
    "case",
    ["foreign", "unknown", "empty", "both", "neither", "foreign_theme"],
)
def test_assign_refusals_change_nothing(world, make_barrier, case):
    w = world.wesel
    mine = w.objects["barrier"]
    foreign = world.coesfeld.objects["barrier"]
    kwargs = {
        "foreign": {"barrier_ids": [mine.pk, foreign.pk], "title": "Neu"},
        "unknown": {"barrier_ids": [mine.pk, 999999], "title": "Neu"},
        "empty": {"barrier_ids": [], "title": "Neu"},
        "both": {"barrier_ids": [mine.pk], "title": "Neu", "theme": w.objects["theme"]},
        "neither": {"barrier_ids": [mine.pk]},
        "foreign_theme": {"barrier_ids": [mine.pk], "theme": world.coesfeld.objects["theme"]},
    }[case]
    themes_before = Theme.objects.count()
    with pytest.raises(ValidationError):
        services.barriers_assign(actor=coordinator(world), tenant=w.tenant, **kwargs)
    assert Theme.objects.count() == themes_before
    assert Barrier.objects.get(pk=mine.pk).theme_id == w.objects["theme"].pk
    assert Barrier.objects.get(pk=foreign.pk).theme_id == world.coesfeld.objects["theme"].pk


def test_remove_barriers_needs_ids_of_this_theme(world, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    extra = make_barrier(make_case(), theme=theme)
    outside = make_barrier(make_case())
    with pytest.raises(ValidationError):
        services.barriers_remove(theme, actor=coordinator(world), barrier_ids=[extra.pk, outside.pk])
    with pytest.raises(ValidationError):
        services.barriers_remove(theme, actor=coordinator(world), barrier_ids=[])
    assert theme.barriers.count() == 2
    assert services.barriers_remove(theme, actor=coordinator(world), barrier_ids=[extra.pk]) == 1
    assert Barrier.objects.get(pk=extra.pk).theme_id is None
    assert theme.events.filter(kind=ThemeEventKind.BARRIERS_REMOVED, barrier_count=1).exists()


# --- merge and split ------------------------------------------------------------------------


def test_merge_moves_the_barriers_and_keeps_the_other_themes_history(world, make_case, make_barrier):
    w = world.wesel
    target = new_theme(world, "Sprachkurse")
    source = w.objects["theme"]  # on the steering group's agenda
    moved = make_barrier(make_case(), theme=source)
    own = make_barrier(make_case(), theme=target)
    services.theme_merge(target, actor=coordinator(world), other=source)

    source.refresh_from_db()
    assert source.status == ThemeStatus.MERGED and source.merged_into_id == target.pk
    assert set(target.barriers.values_list("pk", flat=True)) == {own.pk, moved.pk, w.objects["barrier"].pk}
    assert not source.barriers.exists()
    merged_in = target.events.get(kind=ThemeEventKind.MERGED_IN)
    assert merged_in.other_theme_id == source.pk and merged_in.barrier_count == 2
    assert source.events.get(kind=ThemeEventKind.MERGED_INTO).other_theme_id == target.pk
    assert AgendaItem.objects.get(pk=w.objects["item"].pk).theme_id == source.pk  # agenda link stays
    assert AuditEvent.objects.filter(action="theme.merged", object_id=str(target.pk)).exists()
    # a merged theme is closed for changes
    with pytest.raises(ValidationError):
        services.theme_update(source, actor=coordinator(world), expected_version=source.version, title="X")
    with pytest.raises(ValidationError):
        services.theme_merge(target, actor=coordinator(world), other=source)


def test_merge_refusals(world):
    theme = world.wesel.objects["theme"]
    with translation.override("en"), pytest.raises(ValidationError, match="itself"):
        services.theme_merge(theme, actor=coordinator(world), other=theme)
    with pytest.raises(ValidationError):
        services.theme_merge(theme, actor=coordinator(world), other=world.coesfeld.objects["theme"])
    theme.refresh_from_db()
    assert theme.status == ThemeStatus.ACTIVE and not theme.events.exists()
    assert world.coesfeld.objects["theme"].barriers.count() == 1


def test_split_keeps_level_and_at_least_one_barrier(world, make_case, make_barrier):
    w = world.wesel
    theme = w.objects["theme"]
    Theme.objects.filter(pk=theme.pk).update(level=3)
    theme.refresh_from_db()
    first = make_barrier(make_case(), theme=theme)
    second = make_barrier(make_case(), theme=theme)

    # all barriers of the theme: refused (that would be a rename), nothing changes
    everything = [w.objects["barrier"].pk, first.pk, second.pk]
    with translation.override("en"), pytest.raises(ValidationError, match="at least one"):
        services.theme_split(theme, actor=coordinator(world), barrier_ids=everything, title="Neu")
    with pytest.raises(ValidationError):  # a barrier of another theme
        services.theme_split(
            theme, actor=coordinator(world), barrier_ids=[first.pk, world.coesfeld.objects["barrier"].pk], title="Neu"
        )
    with pytest.raises(ValidationError):
        services.theme_split(theme, actor=coordinator(world), barrier_ids=[first.pk], title="  ")
    assert theme.barriers.count() == 3 and Theme.objects.filter(title="Neu").count() == 0

    new = services.theme_split(theme, actor=coordinator(world), barrier_ids=[first.pk, second.pk], title="Neu")
    assert new.level == 3 and new.responsible_body_id == theme.responsible_body_id and new.tenant == w.tenant
    assert set(new.barriers.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert list(theme.barriers.values_list("pk", flat=True)) == [w.objects["barrier"].pk]
    assert theme.events.get(kind=ThemeEventKind.SPLIT_OFF).other_theme_id == new.pk
    assert new.events.get(kind=ThemeEventKind.SPLIT_FROM).barrier_count == 2
    assert AuditEvent.objects.filter(action="theme.split", object_id=str(theme.pk)).exists()


# --- rename, status, move -------------------------------------------------------------------


def test_rename_and_resolve_go_into_the_history(world):
    theme = world.wesel.objects["theme"]
    services.theme_update(
        theme, actor=coordinator(world), expected_version=theme.version, title="Wartezeiten BAMF-Kurse"
    )
    renamed = theme.events.get(kind=ThemeEventKind.RENAMED)
    assert "Wartezeiten Integrationskurs" in renamed.reason and "Wartezeiten BAMF-Kurse" in renamed.reason
    services.theme_update(theme, actor=coordinator(world), expected_version=theme.version, status="resolved")
    assert theme.status == ThemeStatus.RESOLVED and theme.version == 3
    assert theme.events.get(kind=ThemeEventKind.STATUS).reason == "resolved"
    with pytest.raises(ValidationError):
        services.theme_update(theme, actor=coordinator(world), expected_version=theme.version, status="merged")
    assert AuditEvent.objects.filter(action="theme.updated", object_id=str(theme.pk)).count() == 2


def test_stale_save_is_refused(world):
    theme = world.wesel.objects["theme"]
    loaded = theme.version
    services.theme_update(theme, actor=coordinator(world), expected_version=loaded, next_step="Gespräch BAMF")
    with pytest.raises(StaleObjectError) as raised:
        services.theme_update(theme, actor=coordinator(world), expected_version=loaded, next_step="Anderes")
    assert raised.value.changed["next_step"] == ("Anderes", "Gespräch BAMF")
    theme.refresh_from_db()
    assert theme.next_step == "Gespräch BAMF"
    with pytest.raises(StaleObjectError):
        services.theme_move(theme, actor=coordinator(world), expected_version=loaded, level=2, reason="x")
    theme.refresh_from_db()
    assert theme.level == 1 and not theme.events.filter(kind=ThemeEventKind.MOVED).exists()


def test_move_records_levels_reason_and_date(world):
    theme = world.wesel.objects["theme"]
    body = world.wesel.objects["body"]
    day = timezone.localdate() - datetime.timedelta(days=3)
    services.theme_move(
        theme,
        actor=coordinator(world),
        expected_version=theme.version,
        level=4,
        reason="Betrifft viele Träger",
        occurred_on=day,
        responsible_body=body,
        next_step="Projektgruppe einrichten",
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    theme.refresh_from_db()
    assert theme.level == 4 and theme.next_step == "Projektgruppe einrichten"
    moved = theme.events.get(kind=ThemeEventKind.MOVED)
    assert (moved.from_level, moved.to_level, moved.reason, moved.occurred_on) == (1, 4, "Betrifft viele Träger", day)
    audit = AuditEvent.objects.get(action="theme.moved", object_id=str(theme.pk))
    assert audit.details["from"] == 1 and audit.details["to"] == 4


@pytest.mark.parametrize(
    ("level", "reason", "days", "field"),
    [
        (1, "Grund", 0, "level"),  # same level
        (2, "  ", 0, "reason"),
        (2, "Grund", -1, "occurred_on"),  # tomorrow
        (6, "Grund", 0, "level"),
    ],
)
def test_move_refusals_change_nothing(world, level, reason, days, field):
    theme = world.wesel.objects["theme"]
    with pytest.raises(ValidationError) as raised:
        services.theme_move(
            theme,
            actor=coordinator(world),
            expected_version=theme.version,
            level=level,
            reason=reason,
            occurred_on=timezone.localdate() - datetime.timedelta(days=days),
        )
    assert field in raised.value.error_dict
    theme.refresh_from_db()
    assert theme.level == 1 and theme.version == 1 and not theme.events.exists()
    assert not AuditEvent.objects.filter(action="theme.moved").exists()


def test_staircase_settings_are_created_once_per_tenant(world):
    first = services.staircase_settings_get(tenant=world.wesel.tenant)
    assert services.staircase_settings_get(tenant=world.wesel.tenant).pk == first.pk
    assert StaircaseSettings.objects.count() == 1
