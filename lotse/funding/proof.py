"""The proof of use (Verwendungsnachweis, seed 003 Anlage 3) as figures: a :class:`Statement`
computed from loaded data, plus the loaders that read that data through the access layer.

What a proof is
  A :class:`~lotse.funding.models.ProofOfUse` belongs to one programme, provider and period. When
  it is created (:func:`lotse.funding.services_proof.proof_create`) it gets one staff line per
  position of that provider and programme active in the period, with ``planned_total`` = the
  flat-rate grant of the position for the period and ``actual_total`` = 0, and one material line
  per :class:`~lotse.funding.models.MaterialCategory` with zeros. The clerk then enters the actual
  staff costs, the material costs, third-party and other public funding, the activity report and
  the six confirmations (IV).

How it is computed (:func:`compute`, pure)
  * Staff (II.2, Personalausgaben) – one row per position, grouped by position type with a
    subtotal per type. Number of positions = FTE; months = months counted in the period
    (:func:`lotse.funding.calc.counted_months` with the programme's month rule). Planned
    ("Lt. Kooperationsvertrag"): total = the line's ``planned_total``, eligible = the flat-rate
    grant (:func:`lotse.funding.calc.position_grant`, the programme's rates per year). Settled
    ("Lt. Abrechnung"): total = ``actual_total``, eligible = min(actual_total, flat-rate grant).
  * Material (II.2, Sachausgaben) – per category, planned and settled, total and eligible, as
    entered.
  * Expenses total (planned, settled) = staff totals + material totals.
  * State grant (Zuwendung des Landes): planned = staff eligible + material eligible (planned;
    this is also the amount "bewilligt" in the header); settled = the same of the settlement.
  * Income (II.1), both columns: own share = expenses − third party − other public − state grant
    (:func:`lotse.funding.calc.own_share`); third party; other public funding (with its name);
    state grant; total = expenses total; each with its percentage of the total
    (:func:`lotse.funding.calc.percent`, 0 when the total is 0).
  * Header: "bewilligt" = planned state grant; "ausgezahlt" = the received amounts of the
    programme's payment calls to the provider received within the period.
  * III (Ist-Ergebnis), per column: expenses (II.2) and income (II.1 with the state grant replaced
    by the amount paid out). Income > expenses means "Minderausgaben" (more was paid out than the
    grant earned: unspent funds to repay), amount = paid − state grant; otherwise
    "Mehrausgaben" = state grant − paid. The settled Minderausgaben are due for repayment at the
    end of the period + ``programme.repayment_months`` (seed 003 §17(1): within one month); a
    repayment claim made from the proof bears interest from the day after that date.
  * I (activity figures) from :func:`lotse.reports.indicators.figures` for the provider (or the
    whole tenant when consolidated) and the period.
  * Consolidated (tenant): the sum of all provider proofs of the same programme and period – the
    staff rows of every provider, material, third-party, public funding and payments summed –
    computed by the same function, so each consolidated total is the sum of the providers'.

Money is ``Decimal``: every figure is computed exactly and rounded half-up to cents once
(:func:`lotse.funding.calc.cents`); every total is the sum of the rounded rows shown, so the
XLSX formulas reproduce the totals to the cent.

The wording of the form (:data:`FORM`) is the grantor's (seed 003, Anlage 3): the PDF and the
workbook are German documents and carry it verbatim; the pages of the application are translated
as usual.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from lotse.funding import calc
from lotse.funding.models import MaterialCategory, PositionType

ZERO = Decimal("0.00")

# --- the wording of the form (German, verbatim from seed 003 Anlage 3) ------------------------

FORM: dict[str, str] = {
    "title": "Verwendungsnachweis",
    "consolidated": "Zusammenfassung aller Zuwendungsempfänger",
    "recipient": "Zuwendungsempfänger",
    "provider": "Träger",
    "reference": "AZ",
    "purpose": "Zuwendungszweck",
    "period": "Zeitraum",
    "contract": "Durch Kooperationsvertrag vom",
    "approved": "wurden zur Finanzierung der o. a. Maßnahme bewilligt (Euro)",
    "paid": "Es wurden ausgezahlt (Euro)",
    "section_1": "I. Sachbericht",
    "section_2": "II. Zahlenmäßiger Nachweis",
    "section_3": "III. Ist-Ergebnis",
    "section_4": "IV. Bestätigung",
    "section_5": "V. Ergebnis der Prüfung durch die Bewilligungsbehörde",
    "figures": "Kennzahlen aus der Falldokumentation im Zeitraum",
    "no_report": "Kein Sachbericht eingetragen.",
    "income": "1. Einnahmen",
    "expenses": "2. Ausgaben",
    "staff": "Personalausgaben gem. Nr. 5.4.1.1 der RL",
    "material": "Sachausgaben gem. Nr. 5.4.1.2 der RL",
    "planned": "Lt. Kooperationsvertrag",
    "settled": "Lt. Abrechnung",
    "result_settled": "Ist-Ergebnis lt. Abrechnung",
    "euro": "Euro",
    "percent": "v. H.",
    "income_kind": "Art Eigenanteil, Leistungen Dritter, Zuwendungen",
    "own_share": "Eigenanteil",
    "third_party": "Leistungen Dritter (ohne öffentl. Förderung)",
    "public_grant": "Bewilligte öffentliche Förderung durch",
    "state_grant": "Zuwendung des Landes",
    "total": "Insgesamt",
    "breakdown": "Ausgabengliederung",
    "positions": "Anzahl Stellen",
    "months": "Beschäftigungsdauer (Monate/Jahr)",
    "sum": "insges.",
    "eligible": "davon zuwendungsfähig",
    "subtotal": "Summe",
    "annual": "Jahresbetrag",
    "per_position": "€ / Stelle",
    "open_end": "offen",
    "result_expenses": "Ausgaben (Nr. II.2)",
    "expenses_total": "Ausgaben insgesamt (Personal- und Sachausgaben)",
    "result_income": "Einnahmen (Nr. II.1)",
    "result_income_note": "Einnahmen mit der ausgezahlten statt der bewilligten Zuwendung des Landes.",
    "more": "Mehrausgaben",
    "less": "Minderausgaben",
    "repay": "Zurückzuzahlen bis",
    "confirm_intro": "Es wird bestätigt, dass",
    "place_date": "(Ort/Datum)",
    "signature": "(Rechtsverbindliche Unterschrift)",
    "opened": "Neu aufgenommene Fälle",
    "active": "Betreute (aktive) Fälle",
    "closed": "Abgeschlossene Fälle",
    "by_domain": "Aktive Fälle nach Handlungsfeld",
    "contacts": "Kontakte",
    "referrals": "Vermittlungen",
    "by_status": "Vermittlungen nach Stand",
    "themes": "Generative Themen nach Stufe",
    "level": "Stufe",
    "count": "Anzahl",
    "consolidated_boxes": "Angekreuzt, wenn alle Zuwendungsempfänger es bestätigt haben.",
}

# IV. Bestätigung – the six boxes in the order of the form (model field, text)
CONFIRMATIONS: tuple[tuple[str, str], ...] = (
    (
        "confirm_conditions",
        "die allgemeinen und besonderen Nebenbestimmungen des Zuwendungsbescheides und des "
        "Kooperationsvertrages beachtet wurden;",
    ),
    (
        "confirm_economy",
        "die Ausgaben notwendig waren, wirtschaftlich und sparsam verfahren worden ist und die Angaben "
        "im Verwendungsnachweis mit den Büchern und Belegen übereinstimmen;",
    ),
    ("confirm_no_other_funds", "für diese Maßnahme weitere öffentliche Mittel nicht in Anspruch genommen wurden;"),
    ("confirm_attached_ki", "die Koordinierungsstellen an das Kommunale Integrationszentrum angegliedert wurden bzw."),
    ("confirm_exception", "eine Ausnahme von dieser Regelung durch das Ministerium beantragt und zugelassen wurde,"),
    (
        "confirm_additional_staff",
        "es sich bei den Personalstellen um zusätzliche Personalstellen(anteile) handelt.",
    ),
)
CONFIRMATION_FIELDS: tuple[str, ...] = tuple(name for name, _text in CONFIRMATIONS)

POSITION_TYPES_DE: dict[str, str] = {
    PositionType.CASE_MANAGER: "Case-Management-Stellen",
    PositionType.COORDINATOR: "Koordinatorenstellen",
    PositionType.ADMIN_ASSISTANT: "Stellen Verwaltungsassistenz",
    PositionType.IMMIGRATION_OFFICE: "Stellen Ausländerbehörde",
}

MATERIAL_DE: dict[str, str] = {
    MaterialCategory.WORKPLACE: "Einrichtung eines Arbeitsplatzes",
    MaterialCategory.OFFICE: "Ausstattung von Büroräumen",
    MaterialCategory.OTHER: (
        "Sonstige Sachausgaben, die im Rahmen der Tätigkeit als Koordinatorin oder Koordinator oder als "
        "Verwaltungsassistenz entstehen"
    ),
}

# the order of the form's rows
TYPE_ORDER: tuple[str, ...] = tuple(PositionType.values)
CATEGORY_ORDER: tuple[str, ...] = (MaterialCategory.WORKPLACE, MaterialCategory.OFFICE, MaterialCategory.OTHER)


def de_money(value: Decimal) -> str:
    """``50416.67`` → ``"50.416,67"`` (German grouping, two decimals)."""
    text = f"{value:,.2f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def de_number(value: Decimal, places: int = 2) -> str:
    text = f"{value:,.{places}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def de_date(value: datetime.date | None) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


# --- input ------------------------------------------------------------------------------------


class MissingRate(ValueError):
    """A position has counted months in a year for which its type has no flat rate."""

    def __init__(self, position_type: str, year: int):
        super().__init__(f"no flat rate for {position_type} in {year}")
        self.position_type = position_type
        self.year = year


@dataclass(frozen=True)
class PositionCost:
    """One staff line with its position."""

    position_id: int
    position_type: str
    fte: Decimal
    starts_on: datetime.date
    ends_on: datetime.date | None
    person: str
    planned_total: Decimal
    actual_total: Decimal
    provider: str = ""  # the provider's name (rows of the consolidated proof)
    line_id: int | None = None


@dataclass(frozen=True)
class MaterialCost:
    category: str
    planned_total: Decimal = ZERO
    planned_eligible: Decimal = ZERO
    actual_total: Decimal = ZERO
    actual_eligible: Decimal = ZERO


@dataclass(frozen=True)
class ProofData:
    """Everything :func:`compute` needs, loaded."""

    period_start: datetime.date
    period_end: datetime.date
    month_rule: str
    rates: dict[str, dict[int, Decimal]]  # position type -> year -> EUR per FTE and year
    repayment_months: int
    staff: tuple[PositionCost, ...] = ()
    material: tuple[MaterialCost, ...] = ()
    third_party_planned: Decimal = ZERO
    third_party_actual: Decimal = ZERO
    public_grant_planned: Decimal = ZERO
    public_grant_actual: Decimal = ZERO
    paid: Decimal = ZERO  # received within the period


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Amounts:
    """The four money columns of an expense row."""

    planned_total: Decimal = ZERO
    planned_eligible: Decimal = ZERO
    settled_total: Decimal = ZERO
    settled_eligible: Decimal = ZERO

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(
            self.planned_total + other.planned_total,
            self.planned_eligible + other.planned_eligible,
            self.settled_total + other.settled_total,
            self.settled_eligible + other.settled_eligible,
        )


def _sum_amounts(items: Iterable[Amounts]) -> Amounts:
    total = Amounts()
    for item in items:
        total = total + item
    return total


@dataclass(frozen=True)
class StaffRow:
    position_id: int
    position_type: str
    person: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    provider: str
    fte: Decimal
    months: int
    grant: Decimal  # the flat-rate grant for the period
    amounts: Amounts
    line_id: int | None = None


@dataclass(frozen=True)
class StaffGroup:
    position_type: str
    rates: tuple[tuple[int, Decimal], ...]  # (year, EUR per FTE and year) of the period's years
    rows: tuple[StaffRow, ...]
    fte: Decimal
    amounts: Amounts  # subtotal


@dataclass(frozen=True)
class MaterialRow:
    category: str
    amounts: Amounts


@dataclass(frozen=True)
class IncomeRow:
    key: str  # own_share, third_party, public_grant, state_grant, total
    planned: Decimal
    planned_percent: Decimal
    settled: Decimal
    settled_percent: Decimal


@dataclass(frozen=True)
class ResultColumn:
    """III for one column: expenses, income with the paid-out grant, and the difference."""

    expenses: Decimal
    income: Decimal

    @property
    def difference(self) -> Decimal:
        return self.income - self.expenses

    @property
    def less(self) -> Decimal:
        """Minderausgaben (income above expenses: to repay)."""
        return max(self.difference, ZERO)

    @property
    def more(self) -> Decimal:
        """Mehrausgaben (expenses above income)."""
        return max(-self.difference, ZERO)


@dataclass(frozen=True)
class Activity:
    """I: figures from the case data of the period (counts only)."""

    opened: int = 0
    active: int = 0
    closed: int = 0
    by_domain: tuple[tuple[str, int], ...] = ()
    contacts: int = 0
    referrals: int = 0
    referrals_by_status: tuple[tuple[str, int], ...] = ()
    themes_by_level: tuple[tuple[int, str, int], ...] = ()  # (level, name, count)


@dataclass(frozen=True)
class Statement:
    period_start: datetime.date
    period_end: datetime.date
    staff_groups: tuple[StaffGroup, ...]
    staff_fte: Decimal
    staff: Amounts
    material_rows: tuple[MaterialRow, ...]
    material: Amounts
    expenses_planned: Decimal
    expenses_settled: Decimal
    grant_planned: Decimal
    grant_settled: Decimal
    income: tuple[IncomeRow, ...]
    paid: Decimal
    planned: ResultColumn
    settled: ResultColumn
    repayment_due_on: datetime.date
    activity: Activity | None = None

    @property
    def approved(self) -> Decimal:
        """ "bewilligt" in the header: the planned state grant."""
        return self.grant_planned

    @property
    def to_repay(self) -> Decimal:
        """The settled Minderausgaben: the amount of a repayment claim."""
        return self.settled.less

    def income_row(self, key: str) -> IncomeRow:
        return next(row for row in self.income if row.key == key)

    @property
    def staff_rows(self) -> tuple[StaffRow, ...]:
        return tuple(row for group in self.staff_groups for row in group.rows)


@dataclass(frozen=True)
class ProofDocument:
    """A statement with what the form's header, I and IV show."""

    statement: Statement
    recipient: str  # the tenant
    provider: str  # "" for the consolidated proof
    programme: str
    reference: str
    contract_date: datetime.date | None
    public_grant_name: str
    activity_reports: tuple[tuple[str, str], ...]  # (provider or "", text)
    confirmations: tuple[tuple[str, bool], ...]  # (field, ticked) in the order of CONFIRMATIONS
    consolidated: bool = False
    proof_ids: tuple[int, ...] = field(default=())


# --- computation ------------------------------------------------------------------------------


def _grant(position: PositionCost, months_by_year: dict[int, int], data: ProofData) -> Decimal:
    rates = data.rates.get(position.position_type, {})
    for year, months in months_by_year.items():
        if months and year not in rates:
            raise MissingRate(position.position_type, year)
    return calc.position_grant(position.fte, months_by_year, rates)


def staff_row(position: PositionCost, data: ProofData) -> StaffRow:
    months_by_year = calc.counted_months(
        position.starts_on, position.ends_on, data.period_start, data.period_end, data.month_rule
    )
    grant = _grant(position, months_by_year, data)
    actual = calc.cents(position.actual_total)
    amounts = Amounts(
        planned_total=calc.cents(position.planned_total),
        planned_eligible=grant,
        settled_total=actual,
        settled_eligible=min(actual, grant),
    )
    return StaffRow(
        position_id=position.position_id,
        position_type=position.position_type,
        person=position.person,
        starts_on=position.starts_on,
        ends_on=position.ends_on,
        provider=position.provider,
        fte=position.fte,
        months=sum(months_by_year.values()),
        grant=grant,
        amounts=amounts,
        line_id=position.line_id,
    )


def _period_years(data: ProofData) -> range:
    return range(data.period_start.year, data.period_end.year + 1)


def compute(data: ProofData, activity: Activity | None = None) -> Statement:
    """The statement of a proof (or of the consolidated proof) from its loaded data."""
    rows = [staff_row(position, data) for position in data.staff]
    groups = []
    for position_type in TYPE_ORDER:
        typed = tuple(row for row in rows if row.position_type == position_type)
        if not typed:
            continue
        rates = data.rates.get(position_type, {})
        groups.append(
            StaffGroup(
                position_type=position_type,
                rates=tuple((year, rates[year]) for year in _period_years(data) if year in rates),
                rows=typed,
                fte=sum((row.fte for row in typed), ZERO),
                amounts=_sum_amounts(row.amounts for row in typed),
            )
        )
    staff = _sum_amounts(group.amounts for group in groups)
    staff_fte = sum((group.fte for group in groups), ZERO)

    by_category: dict[str, Amounts] = {category: Amounts() for category in CATEGORY_ORDER}
    for line in data.material:
        by_category[line.category] = by_category.get(line.category, Amounts()) + Amounts(
            calc.cents(line.planned_total),
            calc.cents(line.planned_eligible),
            calc.cents(line.actual_total),
            calc.cents(line.actual_eligible),
        )
    material_rows = tuple(MaterialRow(category, amounts) for category, amounts in by_category.items())
    material = _sum_amounts(row.amounts for row in material_rows)

    expenses_planned = staff.planned_total + material.planned_total
    expenses_settled = staff.settled_total + material.settled_total
    grant_planned = staff.planned_eligible + material.planned_eligible
    grant_settled = staff.settled_eligible + material.settled_eligible
    third_planned, third_settled = calc.cents(data.third_party_planned), calc.cents(data.third_party_actual)
    public_planned, public_settled = calc.cents(data.public_grant_planned), calc.cents(data.public_grant_actual)
    own_planned = calc.own_share(
        staff.planned_total, material.planned_total, third_planned, public_planned, grant_planned
    )
    own_settled = calc.own_share(
        staff.settled_total, material.settled_total, third_settled, public_settled, grant_settled
    )

    def income_row(key: str, planned: Decimal, settled: Decimal) -> IncomeRow:
        return IncomeRow(
            key,
            planned,
            calc.percent(planned, expenses_planned),
            settled,
            calc.percent(settled, expenses_settled),
        )

    income = (
        income_row("own_share", own_planned, own_settled),
        income_row("third_party", third_planned, third_settled),
        income_row("public_grant", public_planned, public_settled),
        income_row("state_grant", grant_planned, grant_settled),
        income_row("total", expenses_planned, expenses_settled),
    )
    paid = calc.cents(data.paid)
    return Statement(
        period_start=data.period_start,
        period_end=data.period_end,
        staff_groups=tuple(groups),
        staff_fte=staff_fte,
        staff=staff,
        material_rows=material_rows,
        material=material,
        expenses_planned=expenses_planned,
        expenses_settled=expenses_settled,
        grant_planned=grant_planned,
        grant_settled=grant_settled,
        income=income,
        paid=paid,
        planned=ResultColumn(expenses_planned, own_planned + third_planned + public_planned + paid),
        settled=ResultColumn(expenses_settled, own_settled + third_settled + public_settled + paid),
        repayment_due_on=calc.add_months(data.period_end, data.repayment_months),
        activity=activity,
    )


def consolidate(parts: Sequence[ProofData]) -> ProofData:
    """One :class:`ProofData` holding the providers' proofs of one programme and period: every
    staff line (each keeps its provider's name), material per category, third-party and public
    funding and the payments summed."""
    if not parts:
        raise ValueError("nothing to consolidate")
    first = parts[0]
    material: dict[str, MaterialCost] = {}
    for part in parts:
        for line in part.material:
            seen = material.get(line.category, MaterialCost(line.category))
            material[line.category] = MaterialCost(
                line.category,
                seen.planned_total + line.planned_total,
                seen.planned_eligible + line.planned_eligible,
                seen.actual_total + line.actual_total,
                seen.actual_eligible + line.actual_eligible,
            )
    return replace(
        first,
        staff=tuple(line for part in parts for line in part.staff),
        material=tuple(material[c] for c in CATEGORY_ORDER if c in material),
        third_party_planned=sum((p.third_party_planned for p in parts), ZERO),
        third_party_actual=sum((p.third_party_actual for p in parts), ZERO),
        public_grant_planned=sum((p.public_grant_planned for p in parts), ZERO),
        public_grant_actual=sum((p.public_grant_actual for p in parts), ZERO),
        paid=sum((p.paid for p in parts), ZERO),
    )


def activity_from(figures: Any, tenant_id: int, provider_id: int | None, level_names: dict[int, str]) -> Activity:
    """I: the counts of :func:`lotse.reports.indicators.figures` for a provider, or the tenant."""
    from lotse.reports.indicators import ProviderFigures

    if provider_id is None:
        item = figures.tenant_total(tenant_id)
    else:
        item = figures.providers.get((tenant_id, provider_id)) or ProviderFigures()
    themes = figures.themes_by_level.get(tenant_id, {})
    return Activity(
        opened=item.opened,
        active=item.active,
        closed=item.closed,
        by_domain=tuple(item.by_domain.items()),
        contacts=item.contacts,
        referrals=item.referrals,
        referrals_by_status=tuple(item.referrals_by_status.items()),
        themes_by_level=tuple((level, level_names.get(level, str(level)), n) for level, n in sorted(themes.items())),
    )


# --- loading (through the access layer; a fixed number of queries) ----------------------------


def rates_of(programme: Any) -> dict[str, dict[int, Decimal]]:
    rates: dict[str, dict[int, Decimal]] = {}
    for rate in programme.rates.all():
        rates.setdefault(rate.position_type, {})[rate.year] = rate.annual_amount
    return rates


def _position_cost(line: Any, provider: str = "") -> PositionCost:
    position = line.position
    return PositionCost(
        position_id=position.pk,
        position_type=position.position_type,
        fte=position.fte,
        starts_on=position.starts_on,
        ends_on=position.ends_on,
        person=position.person,
        planned_total=line.planned_total,
        actual_total=line.actual_total,
        provider=provider,
        line_id=line.pk,
    )


def _material_cost(line: Any) -> MaterialCost:
    return MaterialCost(
        line.category, line.planned_total, line.planned_eligible, line.actual_total, line.actual_eligible
    )


def _paid_by_provider(ctx: Any, programme: Any, provider_ids: list[int], start: datetime.date, end: datetime.date):  # type: ignore[no-untyped-def]
    from lotse.access.funding import payments_scope

    rows = (
        payments_scope(ctx)
        .filter(programme=programme, provider_id__in=provider_ids, received_on__range=(start, end))
        .values("provider_id")
        .annotate(paid=Sum("received_amount"))
    )
    return {row["provider_id"]: row["paid"] or ZERO for row in rows}


def _proof_data(proof: Any, rates: dict[str, dict[int, Decimal]], paid: Decimal, provider: str = "") -> ProofData:
    programme = proof.programme
    return ProofData(
        period_start=proof.period_start,
        period_end=proof.period_end,
        month_rule=programme.month_rule,
        rates=rates,
        repayment_months=programme.repayment_months,
        staff=tuple(_position_cost(line, provider) for line in proof.staff_lines.all()),
        material=tuple(_material_cost(line) for line in proof.material_lines.all()),
        third_party_planned=proof.third_party_planned,
        third_party_actual=proof.third_party_actual,
        public_grant_planned=proof.public_grant_planned,
        public_grant_actual=proof.public_grant_actual,
        paid=paid,
    )


def _activity(ctx: Any, provider_id: int | None, start: datetime.date, end: datetime.date) -> Activity:
    from lotse.access.funding import proof_figure_scope
    from lotse.reports.indicators import Period, figures
    from lotse.steering.models import LEVELS
    from lotse.steering.selectors import staircase_for

    staircase = staircase_for(ctx.tenant)
    names = {level: staircase.level_name(level) for level in LEVELS}
    found = figures(proof_figure_scope(ctx, provider_id), Period(start, end))
    return activity_from(found, ctx.tenant.pk, provider_id, names)


def proofs_with_lines(ctx: Any) -> Any:
    """The proofs of the tenant with what a statement needs, prefetched."""
    from lotse.access.funding import proofs_scope

    return (
        proofs_scope(ctx)
        .select_related("programme", "provider", "tenant")
        .prefetch_related("programme__rates", "staff_lines__position", "material_lines")
    )


def load_document(ctx: Any, proof: Any, *, with_activity: bool = True) -> ProofDocument:
    """The document of one provider's proof (``proof`` from :func:`proofs_with_lines`). Raises
    :class:`MissingRate` when a flat rate is missing."""
    paid = _paid_by_provider(ctx, proof.programme, [proof.provider_id], proof.period_start, proof.period_end)
    data = _proof_data(proof, rates_of(proof.programme), paid.get(proof.provider_id, ZERO))
    activity = _activity(ctx, proof.provider_id, proof.period_start, proof.period_end) if with_activity else None
    return ProofDocument(
        statement=compute(data, activity),
        recipient=proof.tenant.name,
        provider=proof.provider.name,
        programme=proof.programme.name,
        reference=proof.programme.reference,
        contract_date=proof.contract_date,
        public_grant_name=proof.public_grant_name,
        activity_reports=(("", proof.activity_report),),
        confirmations=tuple((name, bool(getattr(proof, name))) for name in CONFIRMATION_FIELDS),
        proof_ids=(proof.pk,),
    )


def load_consolidated(
    ctx: Any, programme: Any, start: datetime.date, end: datetime.date, *, with_activity: bool = True
) -> ProofDocument | None:
    """The consolidated document of the tenant: all provider proofs of ``programme`` for exactly
    this period, summed; ``None`` when there is none. A box of IV is ticked when every provider
    ticked it."""
    proofs = list(
        proofs_with_lines(ctx)
        .filter(programme=programme, period_start=start, period_end=end)
        .order_by("provider__name", "pk")
    )
    if not proofs:
        return None
    rates = rates_of(proofs[0].programme)
    paid = _paid_by_provider(ctx, programme, [p.provider_id for p in proofs], start, end)
    data = consolidate([_proof_data(p, rates, paid.get(p.provider_id, ZERO), p.provider.name) for p in proofs])
    activity = _activity(ctx, None, start, end) if with_activity else None
    names = sorted({p.public_grant_name.strip() for p in proofs if p.public_grant_name.strip()})
    return ProofDocument(
        statement=compute(data, activity),
        recipient=ctx.tenant.name,
        provider="",
        programme=programme.name,
        reference=programme.reference,
        contract_date=None,
        public_grant_name="; ".join(names),
        activity_reports=tuple((p.provider.name, p.activity_report) for p in proofs),
        confirmations=tuple((name, all(getattr(p, name) for p in proofs)) for name in CONFIRMATION_FIELDS),
        consolidated=True,
        proof_ids=tuple(p.pk for p in proofs),
    )


# --- labels of the German documents -----------------------------------------------------------


def group_label(group: StaffGroup) -> str:
    """ "Case-Management-Stellen (Jahresbetrag 55.000,00 € / Stelle)"; one amount per year
    when the rate changes within the period."""
    name = POSITION_TYPES_DE.get(group.position_type, group.position_type)
    if not group.rates:
        return name
    if len({rate for _year, rate in group.rates}) == 1:
        amounts = f"{de_money(group.rates[0][1])}"
    else:
        amounts = ", ".join(f"{year}: {de_money(rate)}" for year, rate in group.rates)
    return f"{name} ({FORM['annual']} {amounts} {FORM['per_position']})"


def row_label(row: StaffRow) -> str:
    """ "Träger A: Mustermann, Max, 16.02.2021 – 31.12.2021" (provider only when consolidated)."""
    who = row.person or "Stelle"
    until = de_date(row.ends_on) if row.ends_on else FORM["open_end"]
    text = f"{who}, {de_date(row.starts_on)} – {until}"
    return f"{row.provider}: {text}" if row.provider else text


def activity_lines_de(activity: Activity) -> list[tuple[str, int | None, int]]:
    """I as (label, count or None for a heading, indent) lines in German; call under ``translation.override("de")``."""
    from lotse.cases.domains import LifeDomain
    from lotse.cases.models import ReferralStatus

    domains = dict(LifeDomain.choices)
    statuses = dict(ReferralStatus.choices)
    lines: list[tuple[str, int | None, int]] = [
        (FORM["opened"], activity.opened, 0),
        (FORM["active"], activity.active, 0),
        (FORM["closed"], activity.closed, 0),
        (FORM["by_domain"], None, 0),
        *((str(domains.get(code, code)), n, 1) for code, n in activity.by_domain),
        (FORM["contacts"], activity.contacts, 0),
        (FORM["referrals"], activity.referrals, 0),
        (FORM["by_status"], None, 0),
        *((str(statuses.get(code, code)), n, 1) for code, n in activity.referrals_by_status),
        (FORM["themes"], None, 0),
        *((f"{FORM['level']} {level} – {name}", n, 1) for level, name, n in activity.themes_by_level),
    ]
    return lines
