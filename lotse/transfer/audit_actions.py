"""Audit actions of import and export."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "transfer.cases_imported": _("Case list imported"),
    "transfer.list_exported": _("List exported"),
}
