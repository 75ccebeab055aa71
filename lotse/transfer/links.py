"""The "Export (Excel)" link of a filtered list page: the export URL with the filters the page
shows (never the page number), so the file holds what the list holds."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.http import QueryDict
from django.urls import reverse


def export_url(
    name: str, tenant: str, given: QueryDict, filters: Iterable[str], defaults: Mapping[str, str] | None = None
) -> str:
    kept = QueryDict(mutable=True)
    kept["format"] = "xlsx"
    for key in filters:
        value = given.get(key, "")
        if value:
            kept[key] = value
    for key, value in (defaults or {}).items():
        if not kept.get(key):
            kept[key] = value
    return f"{reverse(name, kwargs={'tenant': tenant})}?{kept.urlencode()}"
