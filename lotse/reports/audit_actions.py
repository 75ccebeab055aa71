"""Audit actions of reporting: every export of aggregate figures is recorded."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "report.controlling_exported": _("State controlling export downloaded"),
    "report.status_exported": _("Committee status report downloaded"),
}
