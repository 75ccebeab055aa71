"""The committee status report (Sachstandsbericht) of a district for a period: what the
coordination reports to the committee about the municipal integration management, in the manner
of the status reports in the council minutes (seeds 004 and 001) – staffing, case figures,
generative themes and their staircase levels, referrals by agency, and charts.

Two steps, shared by the HTML preview, the PDF and the DOCX:

* :func:`status_figures` reads the numbers (a fixed number of aggregate queries whatever the
  amount of data): case figures from :func:`lotse.reports.indicators.figures` in the scope of
  :func:`~lotse.access.funding.report_figure_scope`, positions through
  :func:`~lotse.access.funding.positions_scope`, themes through
  :func:`~lotse.access.steering.themes_scope`, plus two aggregate reads of this module within the
  same figure scope (cases opened and closed per month, referrals per agency). Like the
  indicators, nothing but counts and sums leaves here: never a case, case number, pseudonym,
  identity or free text; staff are counted, never named (``Position.person`` is not read).
* :func:`status_document` turns them into headings, sentences, tables and charts in the active
  language; the council documents call it under ``translation.override("de")``
  (:data:`LANGUAGE`).

Small cells. The report goes to a public committee. Counts 1–4 in a breakdown below the district
(per provider, per agency, per life domain) are shown as "< 5"; district totals, the monthly
district figures, staffing and themes are shown exactly. Because the district totals are printed,
the provider and agency tables also get secondary suppression (:func:`protect`, with
:mod:`lotse.reports.suppression`): further cells are shown as "x" until no hidden count can be
worked out by subtracting the shown cells from the district total. Life domains overlap (a case
counts in every domain it has a goal in), so no total bounds them and primary suppression is all
they need.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotse.access import policy
from lotse.access.context import AccessContext
from lotse.access.funding import FigureScope, positions_scope, report_figure_scope
from lotse.access.steering import themes_scope
from lotse.cases.domains import LifeDomain
from lotse.cases.models import Case, Referral
from lotse.core.pdf import png_data_uri, render_pdf
from lotse.funding.models import PositionType
from lotse.reports import suppression
from lotse.reports.indicators import Period, ProviderFigures, figures
from lotse.steering.models import DEFAULT_LEVEL_NAMES, LEVELS, StaircaseSettings, ThemeStatus
from lotse.ui.charts import Chart, Series

LANGUAGE = "de"
PDF_TEMPLATE = "reports/pdf/status.html"
# Counts below this (and above zero) are shown as "< 5" in breakdowns below the district.
MIN_CELL = suppression.LIMIT
# The programme's name (Landesinitiative NRW); a proper name, not translated.
PROGRAMME = "Kommunales Integrationsmanagement"


# --- figures -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffLine:
    """Positions of one type at one provider, active on at least one day of the period."""

    provider: str
    position_type: str
    positions: int
    fte: Decimal


@dataclass(frozen=True)
class MonthCases:
    month: datetime.date  # first day of the month
    opened: int
    closed: int


@dataclass
class StatusFigures:
    tenant_name: str
    period: Period
    staff: list[StaffLine]
    cases: ProviderFigures  # the district
    by_provider: list[tuple[str, ProviderFigures]]
    monthly: list[MonthCases]
    level_names: dict[int, str]
    themes_by_level: dict[int, int]
    themes: list[tuple[str, int]]  # active themes: title, level
    referrals_by_agency: list[tuple[str, int]]

    def staff_by_type(self) -> list[tuple[str, int, Decimal]]:
        """Per position type (every type, in the order of :class:`PositionType`): positions, FTE."""
        totals: dict[str, list[Any]] = {t.value: [0, Decimal("0.00")] for t in PositionType}
        for line in self.staff:
            totals[line.position_type][0] += line.positions
            totals[line.position_type][1] += line.fte
        return [(code, count, fte) for code, (count, fte) in totals.items()]

    @property
    def positions_total(self) -> int:
        return sum(line.positions for line in self.staff)

    @property
    def fte_total(self) -> Decimal:
        return sum((line.fte for line in self.staff), Decimal("0.00"))

    @property
    def themes_total(self) -> int:
        return sum(self.themes_by_level.values())


def _scoped(qs: QuerySet[Any], scope: FigureScope, prefix: str = "") -> QuerySet[Any]:
    qs = qs.filter(**{f"{prefix}tenant_id__in": scope.tenant_ids})
    if scope.provider_ids is not None:
        qs = qs.filter(**{f"{prefix}provider_id__in": scope.provider_ids})
    return qs


def months_of(period: Period) -> list[datetime.date]:
    """First days of every month the period touches."""
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def cases_by_month(scope: FigureScope, period: Period) -> list[MonthCases]:
    """Cases opened and closed per month of the period, with the definitions of the indicators
    (opened / closed on a day of the period), in one query grouped by the months of opening and
    closing; the months sum to the period's figures."""
    if not scope.tenant_ids:
        return [MonthCases(month, 0, 0) for month in months_of(period)]
    opened_in = Q(opened_on__range=(period.start, period.end))
    closed_in = Q(closed_on__range=(period.start, period.end))
    rows = (
        _scoped(Case.objects.all(), scope)
        .filter(opened_in | closed_in)
        .annotate(opened_month=TruncMonth("opened_on"), closed_month=TruncMonth("closed_on"))
        .values("opened_month", "closed_month")
        .annotate(opened=Count("pk", filter=opened_in), closed=Count("pk", filter=closed_in))
    )
    opened: dict[datetime.date, int] = defaultdict(int)
    closed: dict[datetime.date, int] = defaultdict(int)
    for row in rows:
        if row["opened"]:
            opened[row["opened_month"]] += row["opened"]
        if row["closed"]:
            closed[row["closed_month"]] += row["closed"]
    return [MonthCases(month, opened[month], closed[month]) for month in months_of(period)]


def referrals_by_agency(scope: FigureScope, period: Period) -> list[tuple[str, int]]:
    """Referrals sent in the period per partner agency (an institution), most first (one query)."""
    if not scope.tenant_ids:
        return []
    rows = (
        _scoped(Referral.objects.all(), scope, "case__")
        .filter(sent_on__range=(period.start, period.end))
        .values("agency_id", "agency__name")
        .annotate(n=Count("pk"))
    )
    return sorted(((row["agency__name"], row["n"]) for row in rows), key=lambda a: (-a[1], a[0].casefold()))


def _staff(ctx: AccessContext, period: Period) -> list[StaffLine]:
    """Positions active on at least one day of the period (as the indicators count FTE), by
    provider and type (one query)."""
    rows = (
        positions_scope(ctx)
        .filter(Q(starts_on__lte=period.end) & (Q(ends_on__isnull=True) | Q(ends_on__gte=period.start)))
        .values("provider__name", "position_type")
        .annotate(n=Count("pk"), fte=Sum("fte"))
    )
    order = {t.value: i for i, t in enumerate(PositionType)}
    lines = [
        StaffLine(row["provider__name"], row["position_type"], row["n"], row["fte"] or Decimal("0.00")) for row in rows
    ]
    return sorted(lines, key=lambda s: (s.provider.casefold(), order.get(s.position_type, 99)))


def level_names(tenant_id: int) -> dict[int, str]:
    """The tenant's names of the five staircase levels (one query)."""
    settings = StaircaseSettings.objects.filter(tenant_id=tenant_id).first()
    if settings is None:
        return {level: str(DEFAULT_LEVEL_NAMES[level]) for level in LEVELS}
    return {level: settings.level_name(level) for level in LEVELS}


def status_figures(ctx: AccessContext, period: Period) -> StatusFigures:
    """The numbers of the acting coordinator's district for the period (13 queries, whatever the data)."""
    assert ctx.tenant is not None
    scope = report_figure_scope(ctx, [ctx.tenant.pk])
    result = figures(scope, period)
    providers = dict(policy.providers_scope(ctx).values_list("pk", "name"))
    rows = {pid: item for (tid, pid), item in result.providers.items() if tid == ctx.tenant.pk}
    by_provider = sorted(
        ((providers.get(pid, "–"), rows.get(pid, ProviderFigures())) for pid in {*providers, *rows}),
        key=lambda row: row[0].casefold(),
    )
    themes = list(
        themes_scope(ctx)
        .filter(status=ThemeStatus.ACTIVE, created_at__date__lte=period.end)
        .order_by("-level", "title", "pk")
        .values_list("title", "level")
    )
    return StatusFigures(
        tenant_name=ctx.tenant.name,
        period=period,
        staff=_staff(ctx, period),
        cases=result.tenant_total(ctx.tenant.pk),
        by_provider=by_provider,
        monthly=cases_by_month(scope, period),
        level_names=level_names(ctx.tenant.pk),
        themes_by_level=result.themes_by_level.get(ctx.tenant.pk, dict.fromkeys(LEVELS, 0)),
        themes=themes,
        referrals_by_agency=referrals_by_agency(scope, period),
    )


# --- document --------------------------------------------------------------------------------------


def small(count: int) -> str:
    """A count of a breakdown below the district: 1–4 become "< 5" (primary suppression)."""
    return suppression.SMALL if suppression.is_small(count) else integer(count)


def protect(rows: list[list[int]], totals: list[int]) -> list[list[str]]:
    """A breakdown (one row per provider or agency, one value per column) whose column totals
    are published exactly: values 1–4 become "< 5", and further cells "x" until no hidden value
    follows from the totals (:func:`lotse.reports.suppression.suppress`, one line per column).

    The module also suppresses small totals; here the totals are public (the district's figures),
    so they count as shown. If a hidden cell is then still recoverable – only possible when the
    district total itself is below 5 – the whole column of the breakdown is withheld ("x")."""
    values: dict[tuple[Any, int], int] = {}
    lines = []
    for column, total in enumerate(totals):
        for index, row in enumerate(rows):
            values[(index, column)] = row[column]
        values[("total", column)] = total
        lines.append(suppression.Line(tuple((index, column) for index in range(len(rows))), ("total", column)))
    if not rows:
        return []
    marks = suppression.suppress(values, lines)
    for column in range(len(totals)):
        marks[("total", column)] = suppression.SHOWN
    for _index, column in suppression.recoverable(values, marks, lines):
        for index in range(len(rows)):
            marks[(index, column)] = suppression.SECONDARY
    shown = []
    for index, row in enumerate(rows):
        cells = [suppression.display(row[column], marks[(index, column)]) for column in range(len(totals))]
        shown.append([integer(cell) if isinstance(cell, int) else cell for cell in cells])
    return shown


def integer(count: float) -> str:
    """A count (also a whole-numbered float of a chart axis) without decimals."""
    return formats.number_format(round(count), force_grouping=True)


def decimal(value: Decimal | float, places: int = 2) -> str:
    return formats.number_format(value, places, force_grouping=True)


def date(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def month_label(month: datetime.date, *, short: bool = False) -> str:
    return formats.date_format(month, "M Y" if short else "YEAR_MONTH_FORMAT")


@dataclass
class Table:
    """A table with a header row; the first column heads its row, the others are numbers
    unless ``numeric`` says otherwise. ``total`` is a last row set apart."""

    id: str
    caption: str
    columns: list[str]
    rows: list[list[str]]
    total: list[str] | None = None
    numeric: int = 1  # columns from this index on are right-aligned numbers


@dataclass
class ChartBlock:
    """A chart with its alternative: the same values as a table (``table``)."""

    chart: Chart
    table: Table
    alt: str
    number: Callable[[float], str] = field(repr=False)
    png: bytes = field(repr=False, default=b"")  # set by render_charts()

    @property
    def png_uri(self) -> str:
        return png_data_uri(self.png) if self.png else ""


@dataclass
class Section:
    id: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    list_heading: str = ""
    items: list[str] = field(default_factory=list)
    empty_list: str = ""
    charts: list[ChartBlock] = field(default_factory=list)


@dataclass
class StatusDocument:
    title: str
    subtitle: str
    intro: list[str]
    sections: list[Section]
    notes_heading: str
    notes: list[str]
    footer: str
    filename_stem: str

    @property
    def charts(self) -> list[ChartBlock]:
        return [block for section in self.sections for block in section.charts]


def _type_label(code: str) -> str:
    return str(dict(PositionType.choices).get(code, code))


def _staff_section(data: StatusFigures) -> Section:
    lines = data.staff
    by_type = [row for row in data.staff_by_type() if row[1]]
    if lines:
        summary = ngettext(
            "In the reporting period %(count)s funded position with %(fte)s full-time equivalents was filled.",
            "In the reporting period %(count)s funded positions with %(fte)s full-time equivalents were filled.",
            data.positions_total,
        ) % {"count": integer(data.positions_total), "fte": decimal(data.fte_total)}
        parts = ", ".join(
            _("%(type)s: %(count)s (%(fte)s FTE)")
            % {"type": _type_label(code), "count": integer(count), "fte": decimal(fte)}
            for code, count, fte in by_type
        )
        paragraphs = [summary, _("By position type: %(parts)s.") % {"parts": parts}]
    else:
        paragraphs = [_("No funded position was filled in the reporting period.")]
    paragraphs.append(
        _(
            "Counted are the positions of the funding control that were filled on at least one day of the "
            "reporting period, by employing provider; FTE = full-time equivalents."
        )
    )
    columns = [_("Provider"), _("Position type"), _("Positions"), _("FTE")]
    table = Table(
        "staff-provider",
        _("Positions by provider and position type"),
        columns,
        [
            [line.provider, _type_label(line.position_type), integer(line.positions), decimal(line.fte)]
            for line in lines
        ],
        total=[_("Total"), "", integer(data.positions_total), decimal(data.fte_total)] if lines else None,
        numeric=2,
    )
    type_table = Table(
        "staff-type",
        _("Positions by position type"),
        [_("Position type"), _("Positions"), _("FTE")],
        [[_type_label(code), integer(count), decimal(fte)] for code, count, fte in data.staff_by_type()],
        total=[_("Total"), integer(data.positions_total), decimal(data.fte_total)],
    )
    return Section("staff", _("1. Staff"), paragraphs, [table, type_table])


def _domain_label(code: str) -> str:
    return str(dict(LifeDomain.choices).get(code, code))


def _cases_section(data: StatusFigures) -> Section:
    cases = data.cases
    paragraphs = [
        _(
            "In the reporting period %(opened)s cases were opened and %(closed)s cases were closed; "
            "%(active)s cases were open on at least one day of the period. The case managers recorded "
            "%(contacts)s contacts and sent %(referrals)s referrals."
        )
        % {
            "opened": integer(cases.opened),
            "closed": integer(cases.closed),
            "active": integer(cases.active),
            "contacts": integer(cases.contacts),
            "referrals": integer(cases.referrals),
        }
    ]
    key_table = Table(
        "cases-key",
        _("Case figures of the district"),
        [_("Figure"), _("Number")],
        [
            [_("Cases opened in the period"), integer(cases.opened)],
            [_("Cases active in the period"), integer(cases.active)],
            [_("Cases closed in the period"), integer(cases.closed)],
            [_("Contacts in the period"), integer(cases.contacts)],
            [_("Referrals sent in the period"), integer(cases.referrals)],
        ],
    )
    domain_table = Table(
        "cases-domain",
        _("Active cases by life domain"),
        [_("Life domain"), _("Cases")],
        [[_domain_label(code), small(count)] for code, count in cases.by_domain.items()],
    )
    shown = protect(
        [[item.opened, item.active, item.closed] for _name, item in data.by_provider],
        [cases.opened, cases.active, cases.closed],
    )
    provider_table = Table(
        "cases-provider",
        _("Cases by provider"),
        [_("Provider"), _("Opened"), _("Active"), _("Closed")],
        [[name, *cells] for (name, _item), cells in zip(data.by_provider, shown, strict=True)],
        total=[_("District"), integer(cases.opened), integer(cases.active), integer(cases.closed)],
    )
    paragraphs.append(
        _(
            "A case counts once for every life domain in which it has a goal. Counts from 1 to 4 by "
            "provider or life domain are shown as “< 5”; “x” marks a further count withheld so that no "
            "such count can be worked out from the district total."
        )
    )
    return Section("cases", _("2. Case figures"), paragraphs, [key_table, domain_table, provider_table])


def _level_label(level: int, names: dict[int, str]) -> str:
    return _("Level %(level)s – %(name)s") % {"level": level, "name": names.get(level, "")}


def _themes_section(data: StatusFigures) -> Section:
    names = data.level_names
    paragraphs = [
        ngettext(
            "At the end of the reporting period the coordination kept %(count)s generative theme: a "
            "structural problem that affects many cases.",
            "At the end of the reporting period the coordination kept %(count)s generative themes: "
            "structural problems that affect many cases.",
            data.themes_total,
        )
        % {"count": integer(data.themes_total)},
        _(
            "Each theme stands on one of the five levels of the staircase model, from the solution in "
            "the single case to a decision of the steering group. Counted are the themes created by the "
            "end of the period, by their current level; merged themes are left out."
        ),
    ]
    table = Table(
        "themes-level",
        _("Generative themes by level"),
        [_("Level"), _("Themes")],
        [[_level_label(level, names), integer(data.themes_by_level.get(level, 0))] for level in LEVELS],
        total=[_("Total"), integer(data.themes_total)],
    )
    items = [
        _("%(title)s (level %(level)s – %(name)s)") % {"title": title, "level": level, "name": names.get(level, "")}
        for title, level in data.themes
    ]
    return Section(
        "themes",
        _("3. Generative themes and staircase levels"),
        paragraphs,
        [table],
        list_heading=_("Active themes"),
        items=items,
        empty_list=_("No active theme."),
    )


def _referrals_section(data: StatusFigures) -> Section:
    rows = data.referrals_by_agency
    paragraphs = [
        _(
            "Referrals sent by the case managers to partner agencies in the reporting period, by agency. "
            "Counts from 1 to 4 are shown as “< 5”; “x” marks a further count withheld so that no such "
            "count can be worked out from the total."
        )
    ]
    if not rows:
        paragraphs.append(_("No referral was sent in the reporting period."))
    total = sum(count for _name, count in rows)
    shown = protect([[count] for _name, count in rows], [total])
    table = Table(
        "referrals-agency",
        _("Referrals by agency"),
        [_("Agency"), _("Referrals")],
        [[name, *cells] for (name, _count), cells in zip(rows, shown, strict=True)],
        total=[_("Total"), integer(total)],
    )
    return Section("referrals", _("4. Referrals by agency"), paragraphs, [table])


def _chart_table(chart: Chart, number: Callable[[float], str], category: str) -> Table:
    return Table(
        f"{chart.id}-values",
        _("Values: %(title)s") % {"title": chart.title} + (f" ({chart.unit})" if chart.unit else ""),
        [category, *[s.label for s in chart.series]],
        [[label, *["–" if v is None else number(v) for v in values]] for label, values in chart.rows()],
    )


def _block(chart: Chart, number: Callable[[float], str], category: str) -> ChartBlock:
    alt = _("Chart: %(title)s. The values follow in the table.") % {"title": chart.title}
    return ChartBlock(chart, _chart_table(chart, number, category), alt, number)


def _charts_section(data: StatusFigures) -> Section:
    months = data.monthly
    monthly = Chart(
        "status-cases-month",
        "bar",
        _("Cases opened and closed per month"),
        [month_label(m.month, short=True) for m in months],
        [Series(_("Opened"), [m.opened for m in months]), Series(_("Closed"), [m.closed for m in months])],
        unit=_("cases"),
    )
    levels = Chart(
        "status-themes-level",
        "bar",
        _("Generative themes by level"),
        [_("Level %(level)s") % {"level": level} for level in LEVELS],
        [Series(_("Themes"), [data.themes_by_level.get(level, 0) for level in LEVELS])],
        unit=_("themes"),
    )
    by_type = data.staff_by_type()
    staff = Chart(
        "status-fte-type",
        "bar",
        _("Full-time equivalents by position type"),
        [_type_label(code) for code, _count, _fte in by_type],
        [Series(_("FTE"), [float(fte) for _code, _count, fte in by_type])],
        unit=_("full-time equivalents"),
        horizontal=True,
    )
    level_key = "; ".join(f"{level}: {data.level_names.get(level, '')}" for level in LEVELS)
    return Section(
        "charts",
        _("5. Charts"),
        [
            _("Each chart is followed by its values as a table. Levels of the staircase: %(levels)s.")
            % {"levels": level_key}
        ],
        charts=[
            _block(monthly, integer, _("Month")),
            _block(levels, integer, _("Level")),
            _block(staff, decimal, _("Position type")),
        ],
    )


def notes() -> list[str]:
    return [
        _("Opened / closed: cases opened or closed on a day of the reporting period."),
        _("Active: cases open on at least one day of the reporting period."),
        _("By life domain: active cases with at least one goal in the life domain."),
        _("Contacts and referrals: those of the reporting period; referrals by the agency they were sent to."),
        _("Staff: positions of the funding control filled on at least one day of the reporting period."),
        _(
            "“< 5”: a count from 1 to 4 by provider, life domain or agency; “x”: a further count withheld so "
            "that no such count can be worked out from a total."
        ),
        _(
            "All figures are counts over the whole district. The report names no client, no case and no "
            "member of staff."
        ),
    ]


def status_document(data: StatusFigures, *, today: datetime.date | None = None) -> StatusDocument:
    """The report's texts, tables and charts in the active language."""
    today = today or timezone.localdate()
    period = data.period
    title = _("Status report %(programme)s") % {"programme": PROGRAMME}
    subtitle = _("%(tenant)s – reporting period %(start)s to %(end)s") % {
        "tenant": data.tenant_name,
        "start": date(period.start),
        "end": date(period.end),
    }
    intro = [
        _(
            "The coordination of the municipal integration management reports to the committee on the "
            "staffing, the case figures, the generative themes and the referrals to partner agencies in "
            "the reporting period."
        ),
        _("Prepared on %(date)s from the figures recorded in Lotse.") % {"date": date(today)},
    ]
    return StatusDocument(
        title=title,
        subtitle=subtitle,
        intro=intro,
        sections=[
            _staff_section(data),
            _cases_section(data),
            _themes_section(data),
            _referrals_section(data),
            _charts_section(data),
        ],
        notes_heading=_("Notes on the figures"),
        notes=notes(),
        footer=f"{title} · {data.tenant_name} · {date(period.start)} – {date(period.end)}",
        filename_stem=f"sachstandsbericht-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}",
    )


def status_report(ctx: AccessContext, period: Period) -> StatusDocument:
    """Figures and document of the acting coordinator's district, in the active language."""
    return status_document(status_figures(ctx, period))


def render_charts(document: StatusDocument) -> StatusDocument:
    """Draw every chart of the document as PNG (for the PDF and the DOCX)."""
    from lotse.reports.status_charts import render_png

    for block in document.charts:
        block.png = render_png(block.chart, number=block.number)
    return document


def status_pdf(document: StatusDocument) -> bytes:
    """The report as PDF; call under ``translation.override(LANGUAGE)`` after :func:`render_charts`."""
    context = {"doc": document, "pdf_title": f"{document.title} – {document.subtitle}"}
    return render_pdf(PDF_TEMPLATE, context, language=LANGUAGE)
