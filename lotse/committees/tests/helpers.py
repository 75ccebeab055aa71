"""Helpers of the committee tests."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext


def url(world: Any, name: str, tenant: str = "wesel", **kwargs: Any) -> str:
    return reverse(f"committees:{name}", kwargs={"tenant": getattr(world, tenant).tenant.slug, **kwargs})


def de(msgid: str, context: str | None = None) -> str:
    """The German text of a msgid (the minutes are German)."""
    with translation.override("de"):
        return pgettext(context, msgid) if context else gettext(msgid)
