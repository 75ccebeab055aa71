"""Small request/response helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def redirect_to(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for htmx requests (which would otherwise swap the target
    page into a part of the current one): htmx gets ``HX-Redirect`` and loads the whole page."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def post_data(request: HttpRequest) -> Any:
    """The data to bind a form to: the POST body for POST requests, else None (unbound)."""
    return request.POST if request.method == "POST" else None
