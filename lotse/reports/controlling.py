"""State controlling export: the indicators of a period per district and provider, with
small-cell and secondary suppression (:mod:`lotse.reports.suppression`).

A coordinator gets the own district: one table per indicator group, a row per provider and the
district total. A state analyst gets every active district: first the state tables (a row per
district and the state total), then each district's provider tables. A district's total row is
a row of the state table as well, so the suppression of a group is computed over all tables
at once (one system of equations) and the shared cells carry the same marks everywhere.
Narrowing the export to one district only leaves the other tables out; it never changes what
is suppressed, so two exports cannot be played off against each other.

Counts only: no case, no case number, no pseudonym, no person's name – only the names of
districts and providers. Every count is suppressed where small; full-time equivalents are not
counts of persons and are shown as they are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lotse.access.context import AccessContext
from lotse.access.funding import report_figure_scope, report_tenants_scope
from lotse.access.permissions import Perm
from lotse.cases.domains import LifeDomain
from lotse.cases.models import ReferralStatus
from lotse.funding.models import PositionType
from lotse.reports import suppression
from lotse.reports.indicators import Figures, Period, ProviderFigures, figures
from lotse.reports.suppression import SECONDARY, SHOWN, WITHHELD, Line
from lotse.steering.models import DEFAULT_LEVEL_NAMES, LEVELS
from lotse.tenants.models import Provider

Number = int | Decimal
Cell = int | Decimal | str


@dataclass(frozen=True)
class Group:
    """A group of indicators: one table per district (rows: providers and the district total)
    and, for state analysts, one across districts. ``total`` names the last column, the sum of
    the others (``None``: the columns are not additive)."""

    key: str
    title: Any
    columns: tuple[tuple[str, Any], ...]
    values: Callable[[ProviderFigures], list[Number]]
    definition: Any
    total: Any = None
    counts: bool = True  # counts are suppressed, full-time equivalents are not
    per_provider: bool = True  # themes belong to the district

    @property
    def codes(self) -> list[str]:
        return [code for code, _label in self.columns] + (["total"] if self.total is not None else [])

    @property
    def labels(self) -> list[str]:
        return [str(label) for _code, label in self.columns] + ([str(self.total)] if self.total is not None else [])


def _no_values(figures: ProviderFigures) -> list[Number]:
    return []  # themes are read per district, not per provider


GROUPS: tuple[Group, ...] = (
    Group(
        "cases",
        _("Cases"),
        (("opened", _("opened")), ("active", _("active")), ("closed", _("closed"))),
        lambda f: [f.opened, f.active, f.closed],
        _(
            "Opened: cases opened in the period. Active: cases open on at least one day of the period "
            "(opened on or before its end, not closed before its start). Closed: cases closed in the "
            "period. The three columns do not add up; anonymised cases still count."
        ),
    ),
    Group(
        "domains",
        _("Active cases by life domain"),
        tuple(LifeDomain.choices),
        lambda f: [f.by_domain[code] for code in LifeDomain.values],
        _(
            "Active cases with at least one goal in the life domain. A case with goals in several domains "
            "counts in each, so the columns do not add up to the active cases."
        ),
    ),
    Group(
        "contacts",
        _("Contacts"),
        (("contacts", _("Contacts")),),
        lambda f: [f.contacts],
        _("Contacts with clients in the period."),
    ),
    Group(
        "referrals",
        _("Referrals by status"),
        tuple(ReferralStatus.choices),
        lambda f: [f.referrals_by_status[code] for code in ReferralStatus.values],
        _("Referrals sent in the period, by their current status (the outcome)."),
        total=_("Referrals"),
    ),
    Group(
        "staff",
        _("Staff by position type (full-time equivalents)"),
        tuple(PositionType.choices),
        lambda f: [f.fte_by_type[code] for code in PositionType.values],
        _(
            "Full-time equivalents of the positions active on at least one day of the period. "
            "Full-time equivalents are not counts of persons and are not suppressed."
        ),
        total=_("Full-time equivalents"),
        counts=False,
    ),
    Group(
        "themes",
        _("Themes by level"),
        tuple((str(level), format_lazy(_("Level {level}"), level=level)) for level in LEVELS),
        _no_values,
        format_lazy(
            _(
                "Themes of the district (not merged into another) created by the end of the period, by "
                "their current level: {levels}. Themes belong to the district, not to a provider."
            ),
            levels=format_lazy(
                "; ".join(["{}"] * len(LEVELS)),
                *(format_lazy("{} – {}", level, DEFAULT_LEVEL_NAMES[level]) for level in LEVELS),
            ),
        ),
        total=_("Themes"),
        per_provider=False,
    ),
)


@dataclass
class Row:
    label: str
    level: str  # "provider", "tenant" or "state"
    cells: list[Cell]


@dataclass
class Table:
    group: Group
    section: str  # the district's name, or the state's
    rows: list[Row]
    anchor: str

    @property
    def caption(self) -> str:
        return f"{self.group.title} – {self.section}"


@dataclass
class Section:
    title: str
    level: str  # "state" or "tenant"
    tables: list[Table] = field(default_factory=list)


@dataclass
class Controlling:
    period: Period
    generated_at: datetime.datetime
    sections: list[Section]
    groups: tuple[Group, ...] = GROUPS


def legend() -> list[tuple[str, str]]:
    """The signs of the tables and what they mean (shown with every output)."""
    return [
        (suppression.SMALL, gettext("a value from 1 to 4 (suppressed: small value)")),
        (suppression.HIDDEN, gettext("suppressed to protect a small value")),
        (
            suppression.BLANK,
            gettext("withheld: a small value could be worked out otherwise (any value, 0 and 1 to 4 included)"),
        ),
        ("0", gettext("none")),
        (
            gettext("Full-time equivalents"),
            gettext("not a count of persons: never suppressed"),
        ),
    ]


def rules() -> list[str]:
    """The suppression rules, as stated in the outputs."""
    return [
        gettext(
            "Every count from 1 to 4, totals included, is shown as “< 5”, zeros as 0 (unless withheld, "
            "see below). A cell shown as “x” holds 5 or more."
        ),
        gettext(
            "Further cells are suppressed (“x”) wherever a small value could otherwise be worked out "
            "from the totals shown: the smallest further cell of the row or column, else its total."
        ),
        gettext(
            "Where small values would give themselves away even so (for example four cells of “< 5” "
            "adding up to a total of “< 5”: each must be 1), cells are withheld (“.”), the totals first."
        ),
        gettext(
            "Every table is checked before it is published: no suppressed value can be derived from "
            "the values and totals shown, across the district and state tables together."
        ),
        gettext("Full-time equivalents are not counts of persons and are not suppressed."),
    ]


# --- the line system of a group ---------------------------------------------------------------


@dataclass
class _Layout:
    tenants: list[tuple[int, str]]
    providers: dict[int, list[tuple[int, str]]]
    state: bool


def _row_values(group: Group, values: list[Number]) -> list[Number]:
    if group.total is None:
        return values
    start: Number = Decimal("0.00") if not group.counts else 0
    return [*values, sum(values, start)]


def _group_values(group: Group, layout: _Layout, data: Figures) -> dict[Any, Number]:
    """The group's cells, keyed ``("p", tenant, provider, column)``, ``("t", tenant, column)``
    and ``("s", column)``. Totals are added up here, so every line adds up exactly."""
    values: dict[Any, Number] = {}
    width = len(group.codes)
    state_sum: list[Number] = [0] * width
    for tenant_id, _name in layout.tenants:
        if group.per_provider:
            tenant_sum: list[Number] = [0] * width
            for provider_id, _pname in layout.providers[tenant_id]:
                figures_ = data.providers.get((tenant_id, provider_id)) or ProviderFigures()
                row = _row_values(group, group.values(figures_))
                for column, value in enumerate(row):
                    values[("p", tenant_id, provider_id, column)] = value
                    tenant_sum[column] += value
        else:
            levels = data.themes_by_level.get(tenant_id, {})
            tenant_sum = _row_values(group, [levels.get(level, 0) for level in LEVELS])
        for column, value in enumerate(tenant_sum):
            values[("t", tenant_id, column)] = value
            state_sum[column] += value
    if layout.state:
        for column, value in enumerate(state_sum):
            values[("s", column)] = value
    return values


def _group_lines(group: Group, layout: _Layout) -> list[Line]:
    width = len(group.codes)
    row_total = group.total is not None
    lines: list[Line] = []

    def row_line(keys: list[Any]) -> None:
        if row_total:
            lines.append(Line(tuple(keys[:-1]), keys[-1]))

    for tenant_id, _name in layout.tenants:
        if group.per_provider:
            providers = [pid for pid, _pname in layout.providers[tenant_id]]
            for provider_id in providers:
                row_line([("p", tenant_id, provider_id, column) for column in range(width)])
            for column in range(width):
                parts = tuple(("p", tenant_id, provider_id, column) for provider_id in providers)
                lines.append(Line(parts, ("t", tenant_id, column)))
        row_line([("t", tenant_id, column) for column in range(width)])
    if layout.state:
        for column in range(width):
            lines.append(Line(tuple(("t", tenant_id, column) for tenant_id, _n in layout.tenants), ("s", column)))
        row_line([("s", column) for column in range(width)])
    return lines


# Definitions that bind the columns of the cases group: every case opened in the period is
# active in it, and so is every case closed in it (opened <= active, closed <= active). The
# solver knows equations only, so each relation becomes one with an extra cell that is never
# published: active = opened + carried over, active = closed + still open. The solver treats
# these cells as withheld ("."): any value from 0, which is exactly what an attacker knows of
# them; being no figures of their own (they follow from published ones), they need no
# protection (``suppress(..., unpublished=...)``).
_CASES_DEFINITIONS = ((0, "carried"), (2, "still_open"))  # (column of opened / closed, name)
_ACTIVE = 1


def _definition_cells(group: Group, layout: _Layout, values: dict[Any, Number]) -> list[Line]:
    """Adds the unpublished difference cells of the cases group to ``values``; returns the
    lines that tie them to the published cells (nothing for other groups)."""
    if group.key != "cases":
        return []
    rows: list[tuple[Any, ...]] = []
    for tenant_id, _name in layout.tenants:
        rows += [("p", tenant_id, provider_id) for provider_id, _pname in layout.providers[tenant_id]]
        rows.append(("t", tenant_id))
    if layout.state:
        rows.append(("s",))
    lines: list[Line] = []
    for row in rows:
        active = values[(*row, _ACTIVE)]
        for column, name in _CASES_DEFINITIONS:
            part, slack = (*row, column), ("definition", name, *row)
            if active < values[part]:  # inconsistent records (closed before opened): no relation to use
                continue
            values[slack] = active - values[part]
            lines.append(Line((part, slack), (*row, _ACTIVE)))
    return lines


def _marks(group: Group, values: dict[Any, Number], lines: Sequence[Line]) -> dict[Any, str]:
    if not group.counts:
        return dict.fromkeys(values, SHOWN)
    counts = {key: int(value) for key, value in values.items()}
    unpublished = {key for key in counts if key[0] == "definition"}
    witnesses = suppression.Witnesses(counts, lines)
    marks = suppression.suppress(counts, lines, witnesses, unpublished)
    return _final_check(counts, marks, lines, witnesses, unpublished)


def _final_check(
    values: dict[Any, int],
    marks: dict[Any, str],
    lines: Sequence[Line],
    witnesses: suppression.Witnesses,
    unpublished: set[Any],
) -> dict[Any, str]:
    """The last word before publishing: every suppressed non-zero value needs a second
    solution that agrees with everything shown (the solutions found while suppressing are
    checked again against the marks and lines; cells without one are searched anew). Should
    any value still be recoverable, the totals of its lines are suppressed too, and failing
    that the whole group is withheld."""
    published = [key for key in values if key not in unpublished]
    for _round in range(3):
        found = suppression.exposed(
            values,
            marks,
            lines,
            keys=published,
            witnesses=witnesses,
            budget=suppression.SEARCH_BUDGET,
            global_budget=suppression.SEARCH_BUDGET,
        )
        if not found:
            return marks
        for line in lines:
            if found & set(line.cells) and marks[line.total] == SHOWN and values[line.total] > 0:
                marks[line.total] = SECONDARY
    if suppression.exposed(
        values, marks, lines, keys=published, witnesses=witnesses, global_budget=suppression.SEARCH_BUDGET
    ):
        return dict.fromkeys(marks, WITHHELD)
    return marks


# --- building the export ----------------------------------------------------------------------


def build(ctx: AccessContext, period: Period, tenant_ids: list[int] | None = None) -> Controlling:
    """The export for the acting user: a coordinator's own district, or (state analysts) every
    active district. ``tenant_ids`` narrows the districts shown (not the suppression)."""
    scope = report_figure_scope(ctx)
    tenants = list(report_tenants_scope(ctx).filter(pk__in=scope.tenant_ids).order_by("name").values_list("pk", "name"))
    data = figures(scope, period)
    providers: dict[int, list[tuple[int, str]]] = {tenant_id: [] for tenant_id, _n in tenants}
    provider_rows = Provider.objects.filter(tenant_id__in=scope.tenant_ids).order_by("name", "pk")
    for provider_id, tenant_id, name, active in provider_rows.values_list("pk", "tenant_id", "name", "is_active"):
        if active or (tenant_id, provider_id) in data.providers:
            providers[tenant_id].append((provider_id, name))
    state = ctx.has(Perm.CROSS_TENANT_AGGREGATES)
    layout = _Layout(tenants, providers, state)

    shown_tenants = [t for t in tenants if tenant_ids is None or t[0] in tenant_ids]
    state_section = Section(gettext("All districts"), "state")
    tenant_sections = {tenant_id: Section(name, "tenant") for tenant_id, name in shown_tenants}
    for group in GROUPS:
        values = _group_values(group, layout, data)
        lines = _group_lines(group, layout) + _definition_cells(group, layout, values)
        marks = _marks(group, values, lines)

        def cells(keys: list[Any]) -> list[Cell]:
            return [suppression.display(values[key], marks[key]) for key in keys]  # noqa: B023

        width = range(len(group.codes))
        if state:
            rows = [Row(name, "tenant", cells([("t", tid, c) for c in width])) for tid, name in tenants]
            rows.append(Row(gettext("All districts"), "state", cells([("s", c) for c in width])))
            state_section.tables.append(Table(group, state_section.title, rows, f"state-{group.key}"))
        for tenant_id, name in shown_tenants:
            rows = []
            if group.per_provider:
                for provider_id, provider_name in providers[tenant_id]:
                    rows.append(
                        Row(provider_name, "provider", cells([("p", tenant_id, provider_id, c) for c in width]))
                    )
                total_label = gettext("Total")
            else:
                total_label = name
            rows.append(Row(total_label, "tenant", cells([("t", tenant_id, c) for c in width])))
            tenant_sections[tenant_id].tables.append(Table(group, name, rows, f"t{tenant_id}-{group.key}"))

    sections = [tenant_sections[tenant_id] for tenant_id, _n in shown_tenants]
    if state and tenant_ids is None:
        sections.insert(0, state_section)
    return Controlling(period, timezone.now(), sections)


def is_suppressed(cell: Cell) -> bool:
    return cell in (suppression.SMALL, suppression.HIDDEN, suppression.BLANK)
