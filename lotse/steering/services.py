"""Writes of strategic steering: generative themes grouped from barriers, and their way up the
staircase. Every function is keyword-only, atomic, writes its audit event in the same
transaction and records the theme's history (:class:`ThemeEvent`). A refused change raises
``ValidationError`` and changes nothing."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.models import Barrier
from lotse.core.versioning import save_versioned
from lotse.steering.models import LEVELS, StaircaseSettings, Theme, ThemeEvent, ThemeEventKind, ThemeStatus
from lotse.tenants.models import Tenant

THEME_FIELDS = frozenset({"title", "description", "responsible_body", "next_step", "due_on", "status"})
# what a move on the staircase may settle at the same time
PLAN_FIELDS = frozenset({"responsible_body", "next_step", "due_on"})
SETTINGS_FIELDS = frozenset(
    {
        "level_1",
        "level_2",
        "level_3",
        "level_4",
        "level_5",
        "escalate_cases",
        "escalate_providers",
        "escalate_below_level",
    }
)
# audit details hold at most 50 list items
_AUDIT_LIST = 50


# --- helpers --------------------------------------------------------------------------------


def _event(theme: Theme, *, actor: Any, kind: str, **fields: Any) -> ThemeEvent:
    return ThemeEvent.objects.create(theme=theme, kind=kind, created_by=actor, **fields)


def _ids(barrier_ids: Iterable[Any]) -> set[int]:
    try:
        ids = {int(pk) for pk in barrier_ids}
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("The selection of barriers is not valid. Nothing was changed.")) from exc
    if not ids:
        raise ValidationError(_("Select at least one barrier."))
    return ids


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter a title for the theme.")})
    if len(title) > Theme._meta.get_field("title").max_length:  # type: ignore[operator]
        raise ValidationError({"title": _("The title is too long.")})
    return title


def _require_not_merged(theme: Theme) -> None:
    if theme.status == ThemeStatus.MERGED:
        raise ValidationError(_("This theme was merged into another theme and can no longer be changed."))


def _check_body(tenant_id: int, body: Any) -> None:
    if body is not None and body.tenant_id != tenant_id:
        raise ValidationError({"responsible_body": _("Choose a body of this district.")})


def _locked(theme: Theme) -> Theme:
    """The theme's row, locked for the rest of the transaction (status checked on fresh data)."""
    return Theme.objects.select_for_update().get(pk=theme.pk)


# --- themes ---------------------------------------------------------------------------------


def _theme_new(
    *,
    actor: Any,
    tenant_id: int,
    title: str,
    description: str = "",
    level: int = 1,
    responsible_body: Any = None,
    next_step: str = "",
    due_on: datetime.date | None = None,
) -> Theme:
    if level not in LEVELS:
        raise ValidationError({"level": _("Choose a level from 1 to 5.")})
    _check_body(tenant_id, responsible_body)
    theme = Theme.objects.create(
        tenant_id=tenant_id,
        title=_clean_title(title),
        description=(description or "").strip(),
        level=level,
        responsible_body=responsible_body,
        next_step=(next_step or "").strip(),
        due_on=due_on,
        created_by=actor,
        updated_by=actor,
    )
    audit_record(action="theme.created", actor=actor, tenant_id=tenant_id, obj=theme, details={"level": level})
    return theme


def theme_create(
    *,
    actor: Any,
    tenant: Tenant,
    title: str,
    description: str = "",
    level: int = 1,
    responsible_body: Any = None,
    next_step: str = "",
    due_on: datetime.date | None = None,
) -> Theme:
    """Generatives Thema: a new, empty theme on ``level`` (barriers are added by
    :func:`barriers_assign`)."""
    with transaction.atomic():
        theme = _theme_new(
            actor=actor,
            tenant_id=tenant.pk,
            title=title,
            description=description,
            level=level,
            responsible_body=responsible_body,
            next_step=next_step,
            due_on=due_on,
        )
        _event(theme, actor=actor, kind=ThemeEventKind.CREATED, to_level=level)
    return theme


def theme_update(theme: Theme, *, actor: Any, expected_version: int, **fields: Any) -> Theme:
    """Rename or describe a theme, set its responsible body, next step, due date and status
    (active or resolved). Refused if someone saved since ``expected_version``
    (``StaleObjectError``). A new title and a new status go into the history."""
    unknown = set(fields) - THEME_FIELDS
    if unknown:
        raise TypeError(f"Unknown theme fields: {sorted(unknown)}")
    _require_not_merged(theme)
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    if "title" in cleaned:
        cleaned["title"] = _clean_title(cleaned["title"])
    if "status" in cleaned and cleaned["status"] not in (ThemeStatus.ACTIVE, ThemeStatus.RESOLVED):
        raise ValidationError({"status": _("A theme is either active or resolved.")})
    _check_body(theme.tenant_id, cleaned.get("responsible_body"))
    old_title, old_status = theme.title, theme.status
    changed = sorted(k for k, v in cleaned.items() if getattr(theme, k) != v)
    with transaction.atomic():
        save_versioned(theme, expected_version=expected_version, changes=cleaned, actor=actor)
        if theme.title != old_title:
            _event(theme, actor=actor, kind=ThemeEventKind.RENAMED, reason=f"{old_title} → {theme.title}")
        if theme.status != old_status:
            _event(theme, actor=actor, kind=ThemeEventKind.STATUS, reason=theme.status)
        audit_record(
            action="theme.updated",
            actor=actor,
            tenant_id=theme.tenant_id,
            obj=theme,
            details={"fields": changed},
        )
    return theme


def theme_move(
    theme: Theme,
    *,
    actor: Any,
    expected_version: int,
    level: int,
    reason: str,
    occurred_on: datetime.date | None = None,
    **plan: Any,
) -> Theme:
    """Move a theme to another step of the staircase, with the reason and the date of the
    decision (today or earlier). ``plan`` may set the responsible body, next step and due date
    at the same time. Refused: the same level, no reason, a date in the future, a stale
    version."""
    unknown = set(plan) - PLAN_FIELDS
    if unknown:
        raise TypeError(f"Unknown plan fields: {sorted(unknown)}")
    _require_not_merged(theme)
    if level not in LEVELS:
        raise ValidationError({"level": _("Choose a level from 1 to 5.")})
    if level == theme.level:
        raise ValidationError({"level": _("The theme is already on this level. Choose another level.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the move.")})
    occurred_on = occurred_on or timezone.localdate()
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date of the move cannot lie in the future.")})
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in plan.items()}
    _check_body(theme.tenant_id, cleaned.get("responsible_body"))
    from_level = theme.level
    with transaction.atomic():
        save_versioned(theme, expected_version=expected_version, changes={"level": level, **cleaned}, actor=actor)
        _event(
            theme,
            actor=actor,
            kind=ThemeEventKind.MOVED,
            from_level=from_level,
            to_level=level,
            reason=reason,
            occurred_on=occurred_on,
        )
        audit_record(
            action="theme.moved",
            actor=actor,
            tenant_id=theme.tenant_id,
            obj=theme,
            details={"from": from_level, "to": level, "fields": sorted(cleaned)},
        )
    return theme


# --- grouping barriers ------------------------------------------------------------------------


def barriers_assign(
    *, actor: Any, tenant: Tenant, barrier_ids: Iterable[Any], theme: Theme | None = None, title: str = ""
) -> Theme:
    """Group barriers of the tenant into an existing active ``theme`` or into a new theme named
    ``title`` (exactly one of both). Barriers that belonged to another theme leave it (its
    history says so). Any id outside the tenant refuses the whole selection."""
    ids = _ids(barrier_ids)
    title = (title or "").strip()
    if (theme is None) == (not title):
        raise ValidationError(_("Choose an existing theme or enter the title of a new theme (one of both)."))
    with transaction.atomic():
        barriers = list(Barrier.objects.select_for_update().filter(tenant=tenant, pk__in=ids))
        if len(barriers) != len(ids):
            raise ValidationError(_("Some of the selected barriers are not in this register. Nothing was assigned."))
        if theme is not None:
            if theme.tenant_id != tenant.pk:
                raise ValidationError(_("Choose a theme of this district."))
            theme = _locked(theme)
            if theme.status != ThemeStatus.ACTIVE:
                raise ValidationError(_("Barriers can only be assigned to an active theme."))
            created = False
        else:
            theme = _theme_new(actor=actor, tenant_id=tenant.pk, title=title)
            _event(theme, actor=actor, kind=ThemeEventKind.CREATED, to_level=theme.level)
            created = True
        moving = [b for b in barriers if b.theme_id != theme.pk]
        if not moving:
            raise ValidationError(_("The selected barriers already belong to this theme."))
        left = Counter(b.theme_id for b in moving if b.theme_id is not None)
        Barrier.objects.filter(pk__in=[b.pk for b in moving]).update(theme=theme)
        for old_id, count in sorted(left.items()):
            ThemeEvent.objects.create(
                theme_id=old_id,
                kind=ThemeEventKind.BARRIERS_REMOVED,
                other_theme=theme,
                barrier_count=count,
                created_by=actor,
            )
        _event(theme, actor=actor, kind=ThemeEventKind.BARRIERS_ADDED, barrier_count=len(moving))
        audit_record(
            action="theme.barriers_assigned",
            actor=actor,
            tenant_id=tenant.pk,
            obj=theme,
            details={
                "count": len(moving),
                "new_theme": created,
                "from_themes": sorted(left)[:_AUDIT_LIST],
            },
        )
    return theme


def barriers_remove(theme: Theme, *, actor: Any, barrier_ids: Iterable[Any]) -> int:
    """Take barriers out of ``theme`` (they return to the ungrouped register). Every id must
    belong to the theme, else nothing is removed. Returns the number removed."""
    ids = _ids(barrier_ids)
    _require_not_merged(theme)
    with transaction.atomic():
        # locked rows, counted in Python (PostgreSQL refuses FOR UPDATE with COUNT)
        found = list(Barrier.objects.select_for_update().filter(theme=theme, pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(ids):
            raise ValidationError(_("Some of the selected barriers do not belong to this theme. Nothing was removed."))
        count = Barrier.objects.filter(theme=theme, pk__in=ids).update(theme=None)
        _event(theme, actor=actor, kind=ThemeEventKind.BARRIERS_REMOVED, barrier_count=count)
        audit_record(
            action="theme.barriers_removed",
            actor=actor,
            tenant_id=theme.tenant_id,
            obj=theme,
            details={"count": count},
        )
    return count


def theme_merge(theme: Theme, *, actor: Any, other: Theme) -> Theme:
    """Merge ``other`` into ``theme``: its barriers move here, it keeps its agenda items and
    history and is marked "merged" with a link to ``theme``. Both must be active themes of the
    same tenant; a theme cannot be merged into itself."""
    if other.pk == theme.pk:
        raise ValidationError(_("A theme cannot be merged into itself. Choose another theme."))
    if other.tenant_id != theme.tenant_id:
        raise ValidationError(_("Choose a theme of this district."))
    with transaction.atomic():
        locked = {t.pk: t for t in Theme.objects.select_for_update().filter(pk__in=[theme.pk, other.pk])}
        if any(t.status != ThemeStatus.ACTIVE for t in locked.values()):
            raise ValidationError(_("Only active themes can be merged."))
        count = Barrier.objects.filter(theme_id=other.pk).update(theme=theme)
        save_versioned(
            other,
            expected_version=locked[other.pk].version,
            changes={"status": ThemeStatus.MERGED, "merged_into": theme},
            actor=actor,
        )
        _event(theme, actor=actor, kind=ThemeEventKind.MERGED_IN, other_theme=other, barrier_count=count)
        _event(other, actor=actor, kind=ThemeEventKind.MERGED_INTO, other_theme=theme, barrier_count=count)
        audit_record(
            action="theme.merged",
            actor=actor,
            tenant_id=theme.tenant_id,
            obj=theme,
            details={"merged_theme": other.pk, "count": count},
        )
    return theme


def theme_split(theme: Theme, *, actor: Any, barrier_ids: Iterable[Any], title: str) -> Theme:
    """Split selected barriers off ``theme`` into a new theme named ``title`` on the same level
    (and with the same responsible body). At least one barrier must stay: moving all of them
    would only be a rename. Returns the new theme."""
    title = _clean_title(title)
    ids = _ids(barrier_ids)
    _require_not_merged(theme)
    with transaction.atomic():
        current = _locked(theme)
        _require_not_merged(current)
        selected = list(
            Barrier.objects.select_for_update().filter(theme=current, pk__in=ids).values_list("pk", flat=True)
        )
        if len(selected) != len(ids):
            raise ValidationError(_("Some of the selected barriers do not belong to this theme. Nothing was split."))
        if not Barrier.objects.filter(theme=current).exclude(pk__in=ids).exists():
            raise ValidationError(
                _("Keep at least one barrier in this theme. To give all of them a new name, rename the theme.")
            )
        new = _theme_new(
            actor=actor,
            tenant_id=current.tenant_id,
            title=title,
            level=current.level,
            responsible_body=current.responsible_body,
        )
        count = Barrier.objects.filter(theme=current, pk__in=ids).update(theme=new)
        _event(current, actor=actor, kind=ThemeEventKind.SPLIT_OFF, other_theme=new, barrier_count=count)
        _event(new, actor=actor, kind=ThemeEventKind.SPLIT_FROM, other_theme=current, barrier_count=count)
        audit_record(
            action="theme.split",
            actor=actor,
            tenant_id=current.tenant_id,
            obj=current,
            details={"new_theme": new.pk, "count": count},
        )
    return new


# --- staircase settings -----------------------------------------------------------------------


def staircase_settings_get(*, tenant: Tenant) -> StaircaseSettings:
    """The tenant's staircase settings, created with the defaults on first use."""
    staircase, _created = StaircaseSettings.objects.get_or_create(tenant=tenant)
    return staircase


def staircase_settings_update(
    staircase: StaircaseSettings, *, actor: Any, expected_version: int, **fields: Any
) -> StaircaseSettings:
    """Change the level names (blank = default name) and the escalation rule."""
    unknown = set(fields) - SETTINGS_FIELDS
    if unknown:
        raise TypeError(f"Unknown staircase settings: {sorted(unknown)}")
    cleaned = {k: v.strip() if isinstance(v, str) else v for k, v in fields.items()}
    for name in ("escalate_cases", "escalate_providers"):
        value = cleaned.get(name, 1)
        if not isinstance(value, int) or value < 1:
            raise ValidationError({name: _("Enter a whole number of at least 1.")})
    below = cleaned.get("escalate_below_level")
    if below is not None and below not in (2, 3, 4, 5):
        raise ValidationError({"escalate_below_level": _("Choose a level from 2 to 5.")})
    changed = sorted(k for k, v in cleaned.items() if getattr(staircase, k) != v)
    with transaction.atomic():
        save_versioned(staircase, expected_version=expected_version, changes=cleaned, actor=actor)
        audit_record(
            action="staircase.settings_changed",
            actor=actor,
            tenant_id=staircase.tenant_id,
            obj=staircase,
            details={"fields": changed},
        )
    return staircase
