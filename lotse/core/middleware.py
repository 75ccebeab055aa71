"""Cross-cutting HTTP middleware: request log line, security headers, no-store caching."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from lotse.core import requestcontext

logger = logging.getLogger("lotse.request")

Handler = Callable[[HttpRequest], HttpResponse]


class RequestLogMiddleware:
    """Logs one line per request: route name (not the path with its query), status, duration,
    user id and tenant slug. Never the query string, form data or any client value."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        request.request_id = uuid.uuid4().hex[:16]  # type: ignore[attr-defined]
        token = requestcontext.set_current(
            requestcontext.RequestMeta(
                address=requestcontext.client_address(request),
                request_id=request.request_id,  # type: ignore[attr-defined]
            )
        )
        try:
            response = self.get_response(request)
        finally:
            requestcontext.reset_current(token)
        if request.path.startswith("/static/"):
            return response
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        access = getattr(request, "access", None)
        logger.info(
            "request",
            extra={
                "request_id": request.request_id,  # type: ignore[attr-defined]
                "method": request.method,
                "route": match.view_name if match else None,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "tenant": access.tenant.slug if access is not None and access.tenant else None,
            },
        )
        response["X-Request-ID"] = request.request_id  # type: ignore[attr-defined]
        return response


class SecurityHeadersMiddleware:
    """Headers Django does not set itself, and ``Cache-Control: no-store`` on every response
    that is not a static asset: any page may show personal data, so none may be cached."""

    PERMISSIONS_POLICY = (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()"
    )

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS_POLICY)
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if not request.path.startswith("/static/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class LanguageMiddleware:
    """German unless the user chose English with the language switch (cookie). Unlike Django's
    LocaleMiddleware, the browser's Accept-Language is ignored: the staff UI of a German
    authority is German by default, whatever the browser was installed with."""

    def __init__(self, get_response: Handler):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
