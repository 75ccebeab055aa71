"""Import of case lists: German columns, checked row by row, written all-or-nothing.

Validation needs a fixed number of queries whatever the length of the file: providers,
locations, agencies and case managers of the tenant are loaded once; case numbers of the file
are checked against the database in chunks. Writing draws the missing case numbers for the
whole batch under the counter row lock (like :func:`lotse.cases.services.cases.case_open`),
inserts the cases with ``bulk_create`` and seals each identity exactly as
:func:`lotse.cases.services.identity.identity_record` does (one AES-GCM value bound to the case,
the keyed hash for the duplicate search)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lotse.audit.services import audit_record
from lotse.cases.identity import FIELDS as IDENTITY_KEYS
from lotse.cases.identity import IdentityData, duplicate_key, seal
from lotse.cases.models import Case, CaseNumberCounter, CaseStatus, ClosureReason, Identity, IntakeChannel
from lotse.cases.services.cases import case_settings, format_case_number
from lotse.network.models import Agency
from lotse.tenants.models import Location, Membership, Provider, Role, Tenant
from lotse.transfer import cells
from lotse.transfer.parsers import Table, TableError, read_table

BATCH = 2000


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the German column name of the template
    required: bool = False
    example: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("number", "Fallnummer", example=""),
    Column("pseudonym", "Pseudonym", required=True, example="Familie aus Aleppo 3"),
    Column("case_manager", "Fallverantwortung", example="m.muster"),
    Column("provider", "Träger", example="Caritas Wesel"),
    Column("location", "Anlaufstelle", example="Beratungsstelle Moers"),
    Column("intake_channel", "Zugangsweg", required=True, example="Persönliche Vorsprache"),
    Column("intake_agency", "Vermittelnde Stelle", example=""),
    Column("languages", "Sprachen", example="Arabisch, Kurmanci"),
    Column("interpreter_needed", "Dolmetschbedarf", example="ja"),
    Column("interpreter_language", "Dolmetschsprache", example="Arabisch"),
    Column("opened_on", "Eröffnet am", required=True, example="01.02.2024"),
    Column("status", "Status", example="offen"),
    Column("closed_on", "Geschlossen am", example=""),
    Column("closure_reason", "Abschlussgrund", example=""),
    Column("given_name", "Vorname", example="Amina"),
    Column("family_name", "Nachname", example="Haddad"),
    Column("birth_date", "Geburtsdatum", example="17.05.1990"),
    Column("nationality", "Staatsangehörigkeit", example="syrisch"),
    Column("street", "Straße", example="Hauptstraße 1"),
    Column("postal_code", "PLZ", example="46483"),
    Column("city", "Ort", example="Wesel"),
    Column("phone", "Telefon", example="0281 123456"),
    Column("email", "E-Mail", example=""),
)
BY_HEADER = {" ".join(c.header.casefold().split()): c for c in COLUMNS}
MAX_LENGTH = {
    "number": 40,
    "pseudonym": 80,
    "languages": 200,
    "interpreter_language": 100,
    "given_name": 100,
    "family_name": 100,
    "nationality": 100,
    "street": 200,
    "postal_code": 10,
    "city": 100,
    "phone": 50,
    "email": 254,
}
MAX_PROBLEMS = 10_000


@dataclass(frozen=True)
class Problem:
    """One line of the report: row number as in the spreadsheet (1 = header), column, problem,
    value as written."""

    row: int
    column: str
    problem: str
    value: str


class TooManyProblems(Exception):
    pass


@dataclass
class Report:
    rows: int = 0
    with_identity: int = 0
    problems: list[Problem] = field(default_factory=list)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and self.rows > 0

    def add(self, row: int, column: str, problem: str, value: Any = "") -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.truncated = True
            raise TooManyProblems
        self.problems.append(Problem(row, column, problem, cells.text(value)[:200]))


@dataclass(slots=True)
class Row:
    """One valid row, ready to be written."""

    line: int
    number: str
    fields: dict[str, Any]
    identity: IdentityData | None


@dataclass
class Lookups:
    """The tenant's master data, loaded once per import."""

    providers: dict[str, Provider]
    locations: dict[tuple[int, str], Location]
    agencies: dict[str, Agency]
    managers: dict[str, Membership]
    channels: dict[str, str]
    statuses: dict[str, str]
    reasons: dict[str, str]

    @classmethod
    def load(cls, tenant: Tenant) -> Lookups:
        key = _key
        providers = {key(p.name): p for p in Provider.objects.filter(tenant=tenant, is_active=True)}
        locations = {
            (loc.provider_id, key(loc.name)): loc for loc in Location.objects.filter(tenant=tenant, is_active=True)
        }
        agencies = {key(a.name): a for a in Agency.objects.filter(tenant=tenant, is_active=True)}
        managers: dict[str, Membership] = {}
        memberships = Membership.objects.filter(
            tenant=tenant,
            role=Role.CASE_MANAGER,
            is_active=True,
            accepted_at__isnull=False,
            user__is_active=True,
        ).select_related("user")
        for membership in memberships:
            managers[key(membership.user.username)] = membership
            if membership.user.email:
                managers.setdefault(key(membership.user.email), membership)
        return cls(
            providers=providers,
            locations=locations,
            agencies=agencies,
            managers=managers,
            channels=cells.choice_lookup(IntakeChannel),
            statuses=cells.choice_lookup(CaseStatus),
            reasons=cells.choice_lookup(ClosureReason),
        )


def _key(value: str) -> str:
    return " ".join(value.casefold().split())


def map_header(header: list[str], report: Report) -> dict[int, Column]:
    """Index → column. Unknown and repeated column names and missing required columns are
    problems of row 1 (nothing is ignored silently)."""
    mapping: dict[int, Column] = {}
    seen: set[str] = set()
    for index, name in enumerate(header):
        if not name:
            continue
        column = BY_HEADER.get(_key(name.rstrip("*").strip()))
        if column is None:
            report.add(1, name, _("Unknown column. Use the column names of the template."), name)
        elif column.key in seen:
            report.add(1, name, _("This column appears twice."), name)
        else:
            seen.add(column.key)
            mapping[index] = column
    for column in COLUMNS:
        if column.required and column.key not in seen:
            report.add(1, column.header, _("This column is missing."))
    if not any(c.key in seen for c in COLUMNS if c.key in ("provider", "case_manager")):
        report.add(1, "Träger", _("The file needs the column “Träger” or “Fallverantwortung”."))
    return mapping


class RowChecker:
    """Checks one row after the other against the tenant's master data."""

    def __init__(self, tenant: Tenant, report: Report, *, today: datetime.date | None = None):
        self.tenant = tenant
        self.report = report
        self.today = today or timezone.localdate()
        self.lookups = Lookups.load(tenant)
        self.file_numbers: dict[str, int] = {}
        self.channel_labels = cells.german_labels(IntakeChannel)
        self.status_labels = cells.german_labels(CaseStatus)
        self.reason_labels = cells.german_labels(ClosureReason)

    def check(self, line: int, raw: dict[str, Any]) -> Row | None:
        report, lookups = self.report, self.lookups
        before = len(report.problems)
        header = {c.key: c.header for c in COLUMNS}

        def problem(key: str, message: str) -> None:
            report.add(line, header[key], message, raw.get(key))

        values: dict[str, Any] = {}
        for key, limit in MAX_LENGTH.items():
            value = cells.text(raw.get(key))
            if len(value) > limit:
                problem(key, _("At most %(limit)s characters.") % {"limit": limit})
            values[key] = value

        number = values["number"]
        if number:
            if number in self.file_numbers:
                problem(
                    "number",
                    _("This case number appears twice in the file (also in row %(row)s).")
                    % {"row": self.file_numbers[number]},
                )
            else:
                self.file_numbers[number] = line
        if not values["pseudonym"]:
            problem("pseudonym", _("Enter a pseudonym."))

        membership = None
        manager = _key(cells.text(raw.get("case_manager")))
        if manager:
            membership = lookups.managers.get(manager)
            if membership is None:
                problem(
                    "case_manager",
                    _("No active case manager of this district has this user name or e-mail address."),
                )
        provider = None
        provider_name = _key(cells.text(raw.get("provider")))
        if provider_name:
            provider = lookups.providers.get(provider_name)
            if provider is None:
                problem("provider", _("No active provider of this district has this name."))
            elif membership is not None and membership.provider_id != provider.pk:
                problem("case_manager", _("The case manager works for another provider."))
        elif membership is not None:
            provider = membership.provider
        elif not manager:
            problem("provider", _("Name the provider (or the case manager)."))

        location = None
        location_name = _key(cells.text(raw.get("location")))
        if location_name and provider is not None:
            location = lookups.locations.get((provider.pk, location_name))
            if location is None:
                problem("location", _("The provider has no active location of this name."))

        channel = ""
        try:
            channel = cells.choice(raw.get("intake_channel"), lookups.channels, allowed=self.channel_labels)
        except cells.CellError as exc:
            problem("intake_channel", str(exc))
        agency = None
        agency_name = _key(cells.text(raw.get("intake_agency")))
        if agency_name:
            agency = lookups.agencies.get(agency_name)
            if agency is None:
                problem("intake_agency", _("No active agency of the directory has this name."))

        interpreter = False
        try:
            interpreter = cells.yes_no(raw.get("interpreter_needed"))
        except cells.CellError as exc:
            problem("interpreter_needed", str(exc))

        opened_on = closed_on = birth_date = None
        try:
            opened_on = cells.date(raw.get("opened_on"))
            if opened_on is None:
                problem("opened_on", _("Enter the date of the first contact."))
            elif opened_on > self.today:
                problem("opened_on", _("A case cannot be opened in the future."))
        except cells.CellError as exc:
            problem("opened_on", str(exc))

        status = CaseStatus.OPEN.value
        if cells.text(raw.get("status")):
            try:
                status = cells.choice(raw.get("status"), lookups.statuses, allowed=self.status_labels)
            except cells.CellError as exc:
                problem("status", str(exc))
        reason = ""
        try:
            closed_on = cells.date(raw.get("closed_on"))
        except cells.CellError as exc:
            problem("closed_on", str(exc))
        if cells.text(raw.get("closure_reason")):
            try:
                reason = cells.choice(raw.get("closure_reason"), lookups.reasons, allowed=self.reason_labels)
            except cells.CellError as exc:
                problem("closure_reason", str(exc))
        reason_written = bool(cells.text(raw.get("closure_reason")))
        closed_written = bool(cells.text(raw.get("closed_on")))
        if status == CaseStatus.CLOSED:
            if not closed_written:
                problem("closed_on", _("A closed case needs the date of closure."))
            elif closed_on is not None and opened_on is not None and closed_on < opened_on:
                problem("closed_on", _("The case cannot be closed before it was opened."))
            elif closed_on is not None and closed_on > self.today:
                problem("closed_on", _("The date of closure lies in the future."))
        elif closed_written:
            problem("closed_on", _("Only closed cases have a date of closure."))
        if status == CaseStatus.OPEN:
            if reason_written:
                problem("closure_reason", _("Only closed cases have a reason for closure."))
        elif not reason_written:
            problem("closure_reason", _("A closed case (or a requested closure) needs the reason for closure."))

        identity = None
        if any(cells.text(raw.get(key)) for key in IDENTITY_KEYS):
            try:
                birth_date = cells.date(raw.get("birth_date"))
                if birth_date is not None and birth_date > self.today:
                    problem("birth_date", _("The birth date lies in the future."))
            except cells.CellError as exc:
                problem("birth_date", str(exc))
            if not values["given_name"]:
                problem("given_name", _("With identity data, enter given name and family name."))
            if not values["family_name"]:
                problem("family_name", _("With identity data, enter given name and family name."))
            if len(report.problems) == before:
                identity = IdentityData(
                    given_name=values["given_name"],
                    family_name=values["family_name"],
                    birth_date=birth_date,
                    **{k: values[k] for k in ("nationality", "street", "postal_code", "city", "phone", "email")},
                )

        if len(report.problems) != before or provider is None or opened_on is None:
            return None
        return Row(
            line=line,
            number=number,
            fields={
                "pseudonym": values["pseudonym"],
                "case_manager_id": membership.user_id if membership else None,
                "provider_id": provider.pk,
                "location_id": location.pk if location else None,
                "intake_channel": channel,
                "intake_agency_id": agency.pk if agency else None,
                "languages": values["languages"],
                "interpreter_needed": interpreter,
                "interpreter_language": values["interpreter_language"] if interpreter else "",
                "opened_on": opened_on,
                "status": status,
                "closed_on": closed_on if status == CaseStatus.CLOSED else None,
                "closure_reason": reason if status != CaseStatus.OPEN else "",
            },
            identity=identity,
        )

    def check_existing_numbers(self) -> None:
        """Case numbers of the file that the district already uses (one query per 1,000)."""
        numbers = list(self.file_numbers)
        header = next(c.header for c in COLUMNS if c.key == "number")
        for start in range(0, len(numbers), 1000):
            chunk = numbers[start : start + 1000]
            taken = Case.objects.filter(tenant=self.tenant, number__in=chunk).values_list("number", flat=True)
            for number in sorted(taken, key=lambda n: self.file_numbers[n]):
                self.report.add(
                    self.file_numbers[number], header, _("The district already has this case number."), number
                )


def _records(table: Table, mapping: dict[int, Column]) -> Iterator[tuple[int, dict[str, Any]]]:
    for line, cells_ in table.rows:
        if not any(c is not None and str(c).strip() for c in cells_):
            continue  # empty rows between the data are skipped
        yield line, {column.key: cells_[index] for index, column in mapping.items() if index < len(cells_)}


def validate(data: bytes, *, tenant: Tenant) -> tuple[Report, list[Row]]:
    """Read and check the whole file. Returns the report and, when it is clean, the rows."""
    report = Report()
    rows: list[Row] = []
    try:
        table = read_table(data)
        mapping = map_header(table.header, report)
        if report.problems:
            return report, []
        checker = RowChecker(tenant, report)
        for line, raw in _records(table, mapping):
            report.rows += 1
            row = checker.check(line, raw)
            if row is not None:
                rows.append(row)
                report.with_identity += row.identity is not None
        checker.check_existing_numbers()
    except TableError as exc:
        report.problems.append(Problem(0, "", str(exc), ""))
    except TooManyProblems:
        pass
    if report.rows == 0 and not report.problems:
        report.problems.append(Problem(0, "", _("The file holds no case rows below the header."), ""))
    report.problems.sort(key=lambda p: p.row)
    return report, rows if not report.problems else []


# --- writing ----------------------------------------------------------------------------------


def _draw_numbers(tenant: Tenant, rows: list[Row]) -> None:
    """Numbers for the rows without one, drawn per year under the counter row lock; numbers
    already in use (in the file or the database) are skipped."""
    missing: dict[int, list[Row]] = defaultdict(list)
    for row in rows:
        if not row.number:
            missing[row.fields["opened_on"].year].append(row)
    if not missing:
        return
    settings_ = case_settings(tenant)
    in_file = {row.number for row in rows if row.number}
    for year, waiting in sorted(missing.items()):
        CaseNumberCounter.objects.get_or_create(tenant=tenant, year=year)
        counter = CaseNumberCounter.objects.select_for_update().get(tenant=tenant, year=year)
        seq = counter.last
        pending = waiting
        while pending:
            candidates = []
            for row in pending:
                seq += 1
                row.number = format_case_number(
                    settings_.number_format, prefix=settings_.number_prefix, year=year, seq=seq
                )
                candidates.append(row)
            taken = set(in_file & {r.number for r in candidates})
            numbers = [r.number for r in candidates]
            for start in range(0, len(numbers), 1000):
                taken.update(
                    Case.objects.filter(tenant=tenant, number__in=numbers[start : start + 1000]).values_list(
                        "number", flat=True
                    )
                )
            pending = [r for r in candidates if r.number in taken]
        counter.last = seq
        counter.save(update_fields=["last"])


def _reserve_ids(model: Any, count: int) -> list[int]:
    """``count`` primary keys for ``model``, reserved inside the running transaction: from the
    sequence on PostgreSQL; on SQLite above the highest id ever given (the write lock is held
    since BEGIN IMMEDIATE, so nobody else inserts meanwhile)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [r[0] for r in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608 - model table name
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
        return list(range(start, start + count))


def _inserter(model: Any) -> tuple[str, list[tuple[str, Callable[[Any], Any]]]]:
    """One INSERT of every concrete column of ``model`` and, per column, the attribute and
    the adapter of the database (dates and timestamps; other values pass as they are)."""
    ops = connection.ops
    columns: list[tuple[str, Callable[[Any], Any]]] = []
    for f in model._meta.concrete_fields:
        if f.get_internal_type() == "DateTimeField":
            adapt: Callable[[Any], Any] = ops.adapt_datetimefield_value
        elif f.get_internal_type() == "DateField":
            adapt = ops.adapt_datefield_value
        else:
            adapt = _same
        columns.append((f.attname, adapt))
    names = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({names}) VALUES ({marks})", columns  # noqa: S608 - names from the model


def _same(value: Any) -> Any:
    return value


def _insert(model: Any, objects: list[Any]) -> None:
    """Plain multi-row INSERTs (``executemany``) of fully built model instances with their
    primary keys set: the bulk path without the ORM's per-value compilation."""
    if not objects:
        return
    sql, columns = _inserter(model)
    params = [[adapt(getattr(obj, attname)) for attname, adapt in columns] for obj in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def write(rows: list[Row], *, tenant: Tenant, actor: Any, progress: Callable[[int], None] | None = None) -> int:
    """All rows in one transaction, or nothing. ``progress`` is called after each batch."""
    now = timezone.now()
    written = 0
    with transaction.atomic():
        _draw_numbers(tenant, rows)
        ids = _reserve_ids(Case, len(rows))
        for start in range(0, len(rows), BATCH):
            batch = rows[start : start + BATCH]
            cases = []
            for row, pk in zip(batch, ids[start : start + BATCH], strict=True):
                status = row.fields["status"]
                case = Case(
                    pk=pk,
                    tenant=tenant,
                    number=row.number,
                    is_anonymous=row.identity is None,
                    updated_by=actor,
                    updated_at=now,
                    created_at=now,
                    closed_by=actor if status == CaseStatus.CLOSED else None,
                    closure_requested_by=actor if status == CaseStatus.CLOSURE_REQUESTED else None,
                    closure_requested_at=now if status == CaseStatus.CLOSURE_REQUESTED else None,
                    **row.fields,
                )
                cases.append(case)
            _insert(Case, cases)
            identities = [
                Identity(
                    case_id=case.pk,
                    tenant_id=tenant.pk,
                    ciphertext=seal(row.identity, case_id=case.pk),
                    duplicate_key=duplicate_key(
                        given_name=row.identity.given_name,
                        family_name=row.identity.family_name,
                        birth_date=row.identity.birth_date,
                    ),
                    updated_at=now,
                )
                for row, case in zip(batch, cases, strict=True)
                if row.identity is not None
            ]
            _insert(Identity, identities)
            written += len(batch)
            if progress is not None:
                progress(written)
        audit_record(
            action="transfer.cases_imported",
            actor=actor,
            tenant=tenant,
            details={"count": written, "with_identity": sum(r.identity is not None for r in rows)},
        )
    return written


def template_rows() -> Iterable[list[str]]:
    yield [c.header for c in COLUMNS]
    yield [c.example for c in COLUMNS]
