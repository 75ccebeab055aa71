"""Demo data of funding control (Module 3), written through the services like real work:

* Kreis Wesel (``demo.funding``): the two KIM programmes of the cooperation contract (seed 003):
  *Modul 1 – strategischer Overhead* with 6.5 coordinator posts and 0.5 administrative assistance
  at the four employers of §4(3) from 16.02.2021, and *Modul 2 – Case Management* with case
  managers at the district and the cities, among them the one post of Stadt Voerde. Payment calls
  on 01.05. and 01.10. of 2025 and 2026 (received where due). The proofs of use 2025: Voerde with
  the cost comparison of the seed (63,500 staff + 10,000 material − 55,000 grant = 18,500 own
  share) and Dinslaken with a vacancy, whose unspent funds became a repayment claim with interest.
* Kreis Coesfeld: the staffing of seed 004 (three coordinators, six case managers at the district
  and six at three municipal employers) in both programmes.

Idempotent: a district that has a programme already is left alone.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation

from lotse.access.context import TenantAccessContext
from lotse.accounts.models import User
from lotse.demo.data import COESFELD_DISTRICT
from lotse.funding import services, services_proof
from lotse.funding.calc import counted_months, position_grant
from lotse.funding.models import FundingProgramme, PositionType, ProofOfUse, StaffCostLine
from lotse.funding.proof import load_document, proofs_with_lines, rates_of
from lotse.funding.services_proof import MaterialEntry
from lotse.tenants.models import Membership, Provider, Role, Tenant

D = Decimal
OVERHEAD = "KIM Modul 1 – Strategischer Overhead"
CASE_MANAGEMENT = "KIM Modul 2 – Case Management"
START = datetime.date(2021, 2, 16)
END = datetime.date(2026, 12, 31)
CALL_DAYS = ((5, 1), (10, 1))

# (provider, position type, FTE, from, until)
WESEL_POSITIONS: tuple[tuple[str, str, str, datetime.date, datetime.date | None], ...] = (
    ("Kreis Wesel", PositionType.COORDINATOR, "2.50", START, None),
    ("Kreis Wesel", PositionType.ADMIN_ASSISTANT, "0.50", START, None),
    ("Stadt Dinslaken", PositionType.COORDINATOR, "1.50", START, None),
    ("Stadt Moers", PositionType.COORDINATOR, "1.50", START, None),
    ("Stadt Wesel", PositionType.COORDINATOR, "1.00", START, None),
    ("Kreis Wesel", PositionType.CASE_MANAGER, "6.00", datetime.date(2021, 7, 1), None),
    ("Stadt Dinslaken", PositionType.CASE_MANAGER, "2.00", datetime.date(2021, 9, 1), None),
    ("Stadt Moers", PositionType.CASE_MANAGER, "2.50", datetime.date(2021, 9, 1), None),
    ("Stadt Wesel", PositionType.CASE_MANAGER, "1.50", datetime.date(2022, 1, 1), None),
    ("Stadt Voerde", PositionType.CASE_MANAGER, "1.00", datetime.date(2022, 3, 1), None),
)

COESFELD_POSITIONS: tuple[tuple[str, str, str, datetime.date, datetime.date | None], ...] = (
    (COESFELD_DISTRICT, PositionType.COORDINATOR, "3.00", datetime.date(2021, 4, 1), None),
    (COESFELD_DISTRICT, PositionType.CASE_MANAGER, "6.00", datetime.date(2021, 10, 1), None),
    ("Stadt Dülmen", PositionType.CASE_MANAGER, "2.00", datetime.date(2023, 7, 1), None),
    ("Stadt Lüdinghausen", PositionType.CASE_MANAGER, "2.00", datetime.date(2023, 7, 1), None),
    ("Gemeinde Senden", PositionType.CASE_MANAGER, "2.00", datetime.date(2023, 8, 1), None),
)

_OVERHEAD_TYPES = frozenset({PositionType.COORDINATOR, PositionType.ADMIN_ASSISTANT})
YEAR_2025 = (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def _actor(tenant: Tenant) -> User:
    """The district's funding clerk, else its first coordinator (Coesfeld has no clerk login)."""
    membership = (
        Membership.objects.filter(tenant=tenant, role=Role.FUNDING_CLERK, is_active=True).first()
        or Membership.objects.filter(tenant=tenant, role=Role.COORDINATOR, is_active=True).order_by("pk").first()
    )
    assert membership is not None, f"{tenant} has no funding clerk or coordinator"
    return membership.user


def ensure_funding() -> dict[str, int]:
    counts = {"programmes": 0, "positions": 0, "payments": 0, "proofs": 0}
    # texts the services write (the reason of a repayment claim) are stored in German, as a
    # clerk working in the German interface would store them
    with translation.override("de"):
        for slug, positions in (("kreis-wesel", WESEL_POSITIONS), ("kreis-coesfeld", COESFELD_POSITIONS)):
            tenant = Tenant.objects.get(slug=slug)
            if FundingProgramme.objects.filter(tenant=tenant).exists():
                continue
            _district(tenant, positions, counts)
    return counts


def _district(
    tenant: Tenant,
    positions: tuple[tuple[str, str, str, datetime.date, datetime.date | None], ...],
    counts: dict[str, int],
) -> None:
    actor = _actor(tenant)
    services.ensure_base_rates(tenant)
    programmes = {
        OVERHEAD: services.programme_create(
            actor=actor,
            tenant=tenant,
            name=OVERHEAD,
            reference="36.3.6-KIM-1",
            grantor="Bezirksregierung Arnsberg",
            starts_on=START,
            ends_on=END,
        ),
        CASE_MANAGEMENT: services.programme_create(
            actor=actor,
            tenant=tenant,
            name=CASE_MANAGEMENT,
            reference="36.3.6-KIM-2",
            grantor="Bezirksregierung Arnsberg",
            starts_on=START,
            ends_on=END,
        ),
    }
    counts["programmes"] += 2
    providers = {p.name: p for p in Provider.objects.filter(tenant=tenant)}
    for provider_name, position_type, fte, starts_on, ends_on in positions:
        programme = programmes[OVERHEAD if position_type in _OVERHEAD_TYPES else CASE_MANAGEMENT]
        services.position_create(
            actor=actor,
            tenant=tenant,
            provider=providers[provider_name],
            programme=programme,
            position_type=position_type,
            fte=D(fte),
            starts_on=starts_on,
            ends_on=ends_on,
            additional_staff=True,
        )
        counts["positions"] += 1
    _payments(tenant, actor, programmes, providers, counts)
    if tenant.slug == "kreis-wesel":
        _proofs_wesel(tenant, actor, programmes[CASE_MANAGEMENT], providers, counts)


def _annual_grant(tenant: Tenant, programme: FundingProgramme, provider: Provider, year: int) -> Decimal:
    """The provider's flat-rate grant of the year, from the positions as the clerk sees them."""
    rates = rates_of(programme)
    total = D(0)
    for position in programme.positions.filter(provider=provider):
        year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        months = counted_months(position.starts_on, position.ends_on, year_start, year_end, programme.month_rule)
        total += position_grant(position.fte, months, rates[position.position_type])
    return total


def _payments(
    tenant: Tenant,
    actor: User,
    programmes: dict[str, FundingProgramme],
    providers: dict[str, Provider],
    counts: dict[str, int],
) -> None:
    """Calls on 01.05. and 01.10. of 2025 and 2026, half of the year's grant each; received a
    few days after the call where the call lies in the past (the demo runs in late 2026)."""
    today = datetime.date.today()
    for programme in programmes.values():
        provider_ids = set(programme.positions.values_list("provider_id", flat=True))
        for provider in providers.values():
            if provider.pk not in provider_ids:
                continue
            for year in (2025, 2026):
                half = (_annual_grant(tenant, programme, provider, year) / 2).quantize(D("0.01"))
                if not half:
                    continue
                for month, day in CALL_DAYS:
                    due_on = datetime.date(year, month, day)
                    received_on = due_on + datetime.timedelta(days=9)
                    received = received_on <= today
                    services.payment_create(
                        actor=actor,
                        tenant=tenant,
                        programme=programme,
                        provider=provider,
                        due_on=due_on,
                        planned_amount=half,
                        received_on=received_on if received else None,
                        received_amount=half if received else None,
                    )
                    counts["payments"] += 1


def _proofs_wesel(
    tenant: Tenant,
    actor: User,
    programme: FundingProgramme,
    providers: dict[str, Provider],
    counts: dict[str, int],
) -> None:
    membership = Membership.objects.get(tenant=tenant, user=actor, is_active=True)
    ctx = TenantAccessContext(user=actor, tenant=tenant, membership=membership)
    start, end = YEAR_2025
    # Stadt Voerde: the cost comparison of seed 003 (one post, employer gross 63,500, material 10,000)
    voerde = services_proof.proof_create(
        actor=actor,
        tenant=tenant,
        programme=programme,
        provider=providers["Stadt Voerde"],
        period_start=start,
        period_end=end,
        contract_date=datetime.date(2021, 6, 30),
    )
    _settle(
        voerde,
        actor,
        staff_total=D("63500.00"),
        material_other=D("10000.00"),
        report=(
            "Eine Vollzeitstelle Case Management in der Stadt Voerde, angebunden an die Flüchtlingshilfe "
            "der Stadt. Fallbesprechungen im Team des Kreises, monatliches Treffen mit der Koordination."
        ),
    )
    # Stadt Dinslaken: one of two posts vacant from July to September → unspent funds
    dinslaken = services_proof.proof_create(
        actor=actor,
        tenant=tenant,
        programme=programme,
        provider=providers["Stadt Dinslaken"],
        period_start=start,
        period_end=end,
        contract_date=datetime.date(2021, 6, 30),
    )
    _settle(
        dinslaken,
        actor,
        staff_total=D("96250.00"),
        material_other=D("4000.00"),
        report=(
            "Zwei Vollzeitstellen Case Management; eine Stelle war von Juli bis September 2025 unbesetzt "
            "und wurde zum 1. Oktober 2025 nachbesetzt."
        ),
    )
    counts["proofs"] += 2
    document = load_document(ctx, proofs_with_lines(ctx).get(pk=dinslaken.pk), with_activity=False)
    if document.statement.to_repay > 0:
        services_proof.proof_claim_create(dinslaken, actor=actor, statement=document.statement)


def _settle(proof: ProofOfUse, actor: User, *, staff_total: Decimal, material_other: Decimal, report: str) -> None:
    """Enter the settled costs: ``staff_total`` spread over the staff lines by planned share,
    material costs as "other" (not eligible), every confirmation ticked."""
    lines = list(StaffCostLine.objects.filter(proof=proof).order_by("pk"))
    planned = sum((line.planned_total for line in lines), D(0))
    staff: dict[int, Decimal] = {}
    rest = staff_total
    for index, line in enumerate(lines):
        share = rest if index == len(lines) - 1 else (staff_total * line.planned_total / planned).quantize(D("0.01"))
        staff[line.pk] = share
        rest -= share
    zero = MaterialEntry(D(0), D(0), D(0), D(0))
    services_proof.proof_update(
        proof,
        actor=actor,
        expected_version=proof.version,
        fields={
            "activity_report": report,
            "confirm_conditions": True,
            "confirm_economy": True,
            "confirm_no_other_funds": True,
            "confirm_additional_staff": True,
        },
        staff=staff,
        material={
            "workplace": zero,
            "office": zero,
            "other": MaterialEntry(material_other, D(0), material_other, D(0)),
        },
    )
