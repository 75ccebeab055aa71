"""Audit actions of client feedback. Responses themselves are anonymous and never audited."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "feedback.sheet_printed": _("Feedback sheet printed"),
}
