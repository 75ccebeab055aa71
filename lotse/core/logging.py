"""Structured logging. Each record becomes one JSON object with a fixed set of fields; request
objects, query strings, form data and database error details never reach the log, because they
can carry names, birth dates or residence data of clients."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# Extra fields a log call may attach; everything else a record carries is dropped.
ALLOWED_EXTRA = (
    "request_id",
    "method",
    "route",
    "status",
    "duration_ms",
    "user_id",
    "tenant",
    "event",
    "count",
)

# PostgreSQL and SQLite error texts quote the offending values ("Key (name)=(Müller)").
_DETAIL = re.compile(r"(DETAIL:|Key \().*", re.IGNORECASE)
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def scrub(text: str) -> str:
    text = _DETAIL.sub(r"\1 [redacted]", text)
    return _QUOTED.sub("'[redacted]'", text)


def scrub_traceback(text: str) -> str:
    """Keep the frames (file, line, source) for debugging; redact values in the exception
    message lines, where database errors and validation errors quote client data."""
    lines = text.splitlines()
    kept = []
    for line in lines:
        if line.startswith("  "):
            kept.append(line)
        else:
            kept.append(scrub(line))
    return "\n".join(kept)


class ScrubFilter(logging.Filter):
    """Drops the request object Django attaches and redacts quoted values in messages."""

    def filter(self, record: logging.LogRecord) -> bool:
        if hasattr(record, "request"):
            record.request = None
        return not record.name.startswith("django.db.backends")


class TextFormatter(logging.Formatter):
    """Plain-text lines (``LOTSE_LOG_FORMAT=text``) with the same redaction as JSON lines."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return scrub(super().formatMessage(record))

    def formatException(self, ei) -> str:  # type: ignore[no-untyped-def]
        return scrub_traceback(super().formatException(ei))


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.name.startswith(("django", "py.warnings")) or record.exc_info:
            message = scrub(message)
        payload: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": message,
        }
        for key in ALLOWED_EXTRA:
            value = getattr(record, key, None)
            if value is not None:
                payload[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            payload["exception"] = record.exc_info[0].__name__
            payload["traceback"] = scrub_traceback(self.formatException(record.exc_info))
        return json.dumps(payload, ensure_ascii=False)
