"""One cell of an imported table into one value: text, German dates, yes/no, choices by their
German (or English) label. Each parser raises :class:`CellError` with a message saying what to
write instead."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext as _


class CellError(ValueError):
    pass


_GERMAN_NUMBER = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d+)?$|^-?\d+(,\d+)?$")


def _number_text(value: int | float | Decimal) -> str:
    """A number from a spreadsheet cell as text the way German Excel shows it: whole numbers
    without ``.0`` (postal codes, phone numbers), fractions with a decimal comma."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return format(Decimal(str(value)).normalize(), "f").replace(".", ",")


def text(value: Any) -> str:
    """Any cell as text (stripped). Text stays text: ``=…`` is stored as written, never computed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return _number_text(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d.%m.%Y")
    return str(value).strip()


def decimal(value: Any) -> Decimal | None:
    """A number written the German way (``1.234,5``; ``12,5``) or a numeric cell."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellError(_("Enter a number."))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    raw = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not _GERMAN_NUMBER.match(raw):
        raise CellError(_("Enter a number with a decimal comma, e.g. 12,5."))
    try:
        return Decimal(raw.replace(".", "").replace(",", "."))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise CellError(_("Enter a number with a decimal comma, e.g. 12,5.")) from exc


_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_EXCEL_EPOCH = datetime.date(1899, 12, 30)


def date(value: Any) -> datetime.date | None:
    """``01.02.2024`` (also ``1.2.2024``), ISO ``2024-02-01``, a date cell or an Excel day
    number of a cell without date format."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2_958_466:
        return _EXCEL_EPOCH + datetime.timedelta(days=int(value))
    raw = str(value).strip()
    match = _DATE.match(raw)
    parts = (match.group(3), match.group(2), match.group(1)) if match else None
    if parts is None and (iso := _ISO.match(raw)):
        parts = (iso.group(1), iso.group(2), iso.group(3))
    if parts is None:
        raise CellError(_("Enter the date as DD.MM.YYYY, e.g. 01.02.2024."))
    try:
        return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError as exc:
        raise CellError(_("This date does not exist.")) from exc


_YES = {"ja", "j", "x", "yes", "y", "wahr", "true", "1"}
_NO = {"nein", "n", "no", "falsch", "false", "0", ""}


def yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raw = text(value).casefold()
    if raw in _YES:
        return True
    if raw in _NO:
        return False
    raise CellError(_("Enter “ja” or “nein”."))


def _key(value: str) -> str:
    return " ".join(value.casefold().split())


def choice_lookup(choices: type[TextChoices]) -> dict[str, str]:
    """Every way of writing a choice: the stored code, the German and the English label."""
    lookup: dict[str, str] = {}
    for language in ("en", "de"):
        with translation.override(language):
            for member in choices:
                lookup[_key(str(member.label))] = member.value
    for member in choices:
        lookup[_key(member.value)] = member.value
    return lookup


def choice(value: Any, lookup: dict[str, str], *, allowed: Iterable[str]) -> str:
    raw = _key(text(value))
    if raw in lookup:
        return lookup[raw]
    raise CellError(_("Choose one of: %(allowed)s.") % {"allowed": ", ".join(allowed)})


def german_labels(choices: type[TextChoices]) -> list[str]:
    with translation.override("de"):
        return [str(member.label) for member in choices]
