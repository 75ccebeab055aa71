"""Audit actions of strategic steering."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "theme.created": _("Generative theme created"),
    "theme.updated": _("Generative theme changed"),
    "theme.moved": _("Theme moved on the staircase"),
    "theme.barriers_assigned": _("Barriers assigned to a theme"),
    "theme.barriers_removed": _("Barriers removed from a theme"),
    "theme.merged": _("Themes merged"),
    "theme.split": _("Theme split"),
    "staircase.settings_changed": _("Staircase settings changed"),
}
