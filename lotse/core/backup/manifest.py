"""Row counts and checksums per table, computed the same way on SQLite and PostgreSQL.

Every concrete table Django knows (models, many-to-many tables, ``django_migrations``) is read
through the ORM ordered by primary key (text keys in code-point order: ``COLLATE "C"`` on
PostgreSQL, SQLite's default ``BINARY``). Each row becomes one line of canonical JSON — a list
of the column values in field order, normalised by type:

* ``None`` → ``null``; booleans → ``true``/``false``; integers → numbers;
* ``Decimal`` → its exact decimal string without exponent or trailing zeros (``1.5``, ``0``);
* floats → ``repr``; aware datetimes → UTC ISO 8601 with microseconds; dates and times → ISO 8601;
* ``timedelta`` → total microseconds; UUIDs → canonical string;
* bytes (binary fields, encrypted values) → base64; JSON values → JSON with sorted keys.

The table checksum is SHA-256 over those lines, each followed by ``\\n``. The values are the
stored values: encrypted columns are hashed as ciphertext, nothing is decrypted.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import hashlib
import json
import uuid
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connections, models
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.functions import Collate

CHECKSUM_VERSION = 1
_TEXT_KEYS = (models.CharField, models.TextField, models.SlugField, models.EmailField)


def _canonical(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, decimal.Decimal):
        if value == 0:
            return {"d": "0"}
        text = format(value.normalize(), "f")
        return {"d": text}
    if isinstance(value, float):
        return {"f": repr(value)}
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(datetime.UTC)
        return {"dt": value.isoformat(timespec="microseconds")}
    if isinstance(value, (datetime.date, datetime.time)):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"td": value // datetime.timedelta(microseconds=1)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"b": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    if isinstance(value, (dict, list)):
        return {"j": json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))}
    raise TypeError(f"No canonical form for {type(value).__name__}.")


def canonical_row(values: tuple[Any, ...] | list[Any]) -> bytes:
    """One row as one line of canonical JSON (see the module documentation)."""
    return json.dumps([_canonical(v) for v in values], ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class TableSum:
    table: str
    rows: int
    sha256: str


def table_models() -> list[type[models.Model]]:
    """Every model that owns a table, including m2m tables and ``django_migrations``."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.swapped:
            continue
        seen.setdefault(meta.db_table, model)
    seen.setdefault(MigrationRecorder.Migration._meta.db_table, MigrationRecorder.Migration)
    return [seen[name] for name in sorted(seen)]


def table_sum(model: type[models.Model], using: str) -> TableSum:
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    columns = [f.attname for f in meta.concrete_fields]
    queryset = model._base_manager.using(using).all()
    if isinstance(pk, _TEXT_KEYS) and connections[using].vendor == "postgresql":
        queryset = queryset.order_by(Collate(pk.attname, "C"))
    else:
        queryset = queryset.order_by(pk.attname)
    digest = hashlib.sha256()
    rows = 0
    for values in queryset.values_list(*columns).iterator(chunk_size=2000):
        digest.update(canonical_row(values))
        digest.update(b"\n")
        rows += 1
    return TableSum(meta.db_table, rows, digest.hexdigest())


def database_sums(using: str = "default") -> dict[str, dict[str, Any]]:
    """``{table: {"rows": n, "sha256": hex}}`` for every table of :func:`table_models`;
    a table missing from the database is left out (the comparison reports it)."""
    existing = set(connections[using].introspection.table_names())
    result: dict[str, dict[str, Any]] = {}
    for model in table_models():
        if model._meta.db_table not in existing:
            continue
        found = table_sum(model, using)
        result[found.table] = {"rows": found.rows, "sha256": found.sha256}
    return result


@dataclass(frozen=True)
class Difference:
    table: str
    problem: str


def compare(expected: dict[str, dict[str, Any]], actual: dict[str, dict[str, Any]]) -> list[Difference]:
    """Every table whose row count or checksum differs, or that exists on one side only
    (an empty table that only the database has is no difference: a newer migration)."""
    differences: list[Difference] = []
    for table in sorted(set(expected) | set(actual)):
        want, have = expected.get(table), actual.get(table)
        if want is None:
            assert have is not None
            if have["rows"]:
                differences.append(Difference(table, f"not in the backup, but has {have['rows']} row(s)"))
        elif have is None:
            differences.append(Difference(table, f"missing in the database (backup: {want['rows']} row(s))"))
        elif want["rows"] != have["rows"]:
            differences.append(Difference(table, f"{have['rows']} row(s), the backup has {want['rows']}"))
        elif want["sha256"] != have["sha256"]:
            differences.append(Difference(table, "same row count, different content (checksum)"))
    return differences
