"""htmx helpers: lists whose results part updates in place."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def render_list(request: HttpRequest, page: str, partial: str, context: dict[str, Any]) -> HttpResponse:
    """The results part for htmx updates, the whole page otherwise — also when htmx restores a
    page from history (Back button): it then asks with HX-Request but needs the whole page."""
    htmx = getattr(request, "htmx", None)
    wants_part = bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]
    response = render(request, partial if wants_part else page, context)
    patch_vary_headers(response, ("HX-Request", "HX-History-Restore-Request"))
    return response
