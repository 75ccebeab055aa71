"""Client feedback pages.

Public (no sign-in, no personal data, no cookie but CSRF's): the questionnaire behind a one-time
link, in the token's language or the one chosen with ``?lang=``, and the thank-you page. Staff:
the case manager prints the sheet with link and QR code for a case of their own.

The questionnaire has no free-text field, so no name or other personal data can be entered; the
answers are stored with provider and month only (see ``lotse.feedback.services``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.cases import case_access
from lotse.access.decorators import public, tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.views.base import require_case_manager
from lotse.core.requestcontext import client_address
from lotse.feedback import services
from lotse.feedback.forms import FeedbackForm, SheetForm
from lotse.feedback.sheet import sheet_pdf
from lotse.feedback.texts import TEXTS, direction, language_or_default
from lotse.feedback.tokens import token_lookup, token_usable

# HTTP status of a refused link or submission
STATUS = {"unknown": 404, "expired": 410, "used": 410, "rate_limited": 429}


def _page(
    request: HttpRequest, template: str, language: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render a public page in ``language``: texts, direction and the language links."""
    path = request.path
    languages = [
        {
            "code": code,
            "name": texts.language_name,
            "dir": direction(code),
            "url": f"{path}?lang={code}",
            "current": code == language,
        }
        for code, texts in TEXTS.items()
    ]
    response = render(
        request,
        template,
        {
            "lang": language,
            "dir": direction(language),
            "texts": TEXTS[language],
            "languages": languages,
            **context,
        },
        status=status,
    )
    response["Content-Language"] = language
    # The path carries the token; the site-wide Referrer-Policy "same-origin" keeps it from other
    # sites. Not "no-referrer": browsers then send "Origin: null" and the CSRF check fails.
    return response


def _problem(request: HttpRequest, language: str, code: str) -> HttpResponse:
    context = {"code": code, "message": TEXTS[language].errors[code]}
    return _page(request, "feedback/problem.html", language, context, status=STATUS[code])


@public
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def feedback_form(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire. GET shows it for a usable token; POST counts an attempt for the client
    address first (rate limit), then stores the answers and consumes the token."""
    found = token_lookup(token)
    language = language_or_default(request.GET.get("lang"), found.language if found is not None else "de")
    texts = TEXTS[language]
    form = FeedbackForm(request.POST if request.method == "POST" else None, texts=texts)
    if request.method == "POST":
        address = client_address(request)
        try:
            if form.is_valid():
                services.feedback_submit(token_raw=token, language=language, answers=form.answers(), address=address)
                return redirect(f"{reverse('feedback:thanks')}?lang={language}")
            services.feedback_attempt(address=address)  # a refused form counts as well
        except services.RateLimited:
            # in the language asked for (the form always posts it), not the token's: a refused
            # request learns nothing about the token
            return _problem(request, language_or_default(request.GET.get("lang")), "rate_limited")
        except ValidationError as exc:
            code = exc.code or "invalid"
            if code in STATUS:
                return _problem(request, language, code)
            form.add_error(None, texts.errors.get(code, texts.errors["invalid"]))
    if not token_usable(found):
        if found is None:
            return _problem(request, language, "unknown")
        return _problem(request, language, "used" if found.used else "expired")
    return _page(request, "feedback/form.html", language, {"form": form})


@public
@require_GET
def feedback_thanks(request: HttpRequest) -> HttpResponse:
    language = language_or_default(request.GET.get("lang"))
    return _page(request, "feedback/thanks.html", language, {})


@tenant_view(Perm.CASE_WORK)
@require_POST
def feedback_sheet(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The case manager prints the sheet for a case of their own (or substituted): a new
    one-time token for the case's provider, as PDF in the chosen language."""
    access = case_access(request.access, pk)
    require_case_manager(access)
    case = access.case
    form = SheetForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("cases:detail", tenant=tenant, pk=pk)
    language = form.chosen_language()
    try:
        raw = services.feedback_sheet_issue(case, actor=request.user, language=language)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("cases:detail", tenant=tenant, pk=pk)
    issued = token_lookup(raw)
    assert issued is not None
    pdf = sheet_pdf(
        tenant_name=request.access.tenant.name,
        provider_name=case.provider.name,
        url=request.build_absolute_uri(reverse("feedback:form", kwargs={"token": raw})),
        language=language,
        valid_until=issued.expires_on,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="Feedback-{language}.pdf"'
    return response
