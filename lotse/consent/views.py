"""Consent and releases of a case: the overview (case managers and, pseudonymised, coordinators),
the information sheet to print, recording and revoking. Views are thin: forms check the input,
lotse.consent.services writes, lotse.access.cases decides who sees the case."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.cases import CaseAccess
from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.audit.services import audit_record
from lotse.cases.domains import ClientLanguage, domain_labels
from lotse.cases.views.base import (
    load_case,
    render_case,
    require_case_manager,
    require_work,
    validation_messages,
)
from lotse.consent import services
from lotse.consent.forms import ConsentForm, ReleaseForm, SheetLanguageForm
from lotse.consent.models import Consent, ConsentPurpose, Release
from lotse.consent.selectors import consent_valid
from lotse.core.http import post_data

TAB = "consent"


def _overview_url(tenant: str, pk: int) -> str:
    return reverse("consent:case_overview", kwargs={"tenant": tenant, "pk": pk})


# --- Overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseRow:
    release: Release
    topics: list[str]
    status: str  # valid, expired, revoked
    status_label: str
    badge: str


def _release_row(release: Release, today: Any) -> ReleaseRow:
    topics = domain_labels(release.topics)
    if release.revoked_at is not None:
        status, label, badge = "revoked", _("revoked"), "danger"
    elif release.valid_until is not None and release.valid_until < today:
        status, label, badge = "expired", _("expired"), "warning"
    else:
        status, label, badge = "valid", _("valid"), "success"
    return ReleaseRow(release, topics, status, label, badge)


@tenant_view()
@require_GET
def case_overview(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Case managers of the case see and act; coordinators see the status only (no identity,
    no actions). Everyone else does not see the case (404)."""
    access = load_case(request, pk)
    case = access.case
    consents = list(case.consents.select_related("recorded_by").order_by("-given_on", "-pk"))
    today = timezone.localdate()
    releases = [
        _release_row(r, today)
        for r in case.releases.select_related("agency", "recorded_by").order_by("-given_on", "-pk")
    ]
    processing = consent_valid(case, ConsentPurpose.PROCESSING)
    context = {
        "consents": consents,
        "releases": releases,
        "processing_consent": processing,
        "missing_processing_consent": not case.is_anonymous and not processing,
        "can_work": access.work and not access.oversight,
        "can_revoke": access.identity and access.case.anonymised_at is None,
        "can_print": access.identity,
        "sheet_form": SheetLanguageForm(initial={"language": ClientLanguage.DE}),
        "form_version": services.FORM_VERSION,
    }
    return render_case(request, "consent/case_overview.html", access, TAB, context)


# --- Information sheet ----------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


@tenant_view(Perm.CASE_WORK)
@require_GET
def sheet_pdf(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The GDPR Art. 13 information sheet with the consent form, in the client's language, to
    print and have signed. Holds no identity; printing is case work, so case managers only."""
    access = load_case(request, pk)
    require_case_manager(access)
    case = access.case
    form = SheetLanguageForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered languages for the information sheet."))
        return redirect(_overview_url(tenant, case.pk))
    language = form.cleaned_data["language"]
    from lotse.consent.pdf import information_sheet_pdf  # the PDF stack loads on first print only

    pdf = information_sheet_pdf(tenant=request.access.tenant, case_number=case.number, language=language)
    audit_record(
        action="consent.sheet_printed",
        actor=request.user,
        tenant_id=case.tenant_id,
        obj=case,
        details={"language": language},
    )
    filename = f"Datenschutzinformation-{_UNSAFE.sub('-', case.number)}-{language}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Recording ------------------------------------------------------------------------------


def _work_access(request: TenantRequest, pk: int) -> tuple[CaseAccess, HttpResponse | None]:
    access = load_case(request, pk)
    return access, require_work(request, access)


def _revoke_access(request: TenantRequest, pk: int) -> CaseAccess:
    """A client may withdraw at any time (Art. 7(3) GDPR), also after the closure: revocation
    needs the case manager of the case, not an open case."""
    access = load_case(request, pk)
    require_case_manager(access)
    return access


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def consent_record(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access, refused = _work_access(request, pk)
    if refused is not None:
        return refused
    case = access.case
    initial = {} if consent_valid(case, ConsentPurpose.PROCESSING) else {"purpose": ConsentPurpose.PROCESSING}
    form = ConsentForm(post_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent = services.consent_record(
                case,
                actor=request.user,
                purpose=data["purpose"],
                language=data["language"],
                given_on=data["given_on"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("The consent “%(purpose)s” was recorded.") % {"purpose": consent.get_purpose_display()},
            )
            return redirect(_overview_url(tenant, case.pk))
    context = {"form": form, "form_version": services.FORM_VERSION}
    return render_case(request, "consent/consent_form.html", access, TAB, context)


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def release_record(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    access, refused = _work_access(request, pk)
    if refused is not None:
        return refused
    case = access.case
    form = ReleaseForm(post_data(request), tenant=request.access.tenant)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = services.release_record(
                case,
                actor=request.user,
                agency=data["agency"],
                topics=data["topics"],
                language=data["language"],
                given_on=data["given_on"],
                valid_until=data["valid_until"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The release for %(agency)s was recorded.") % {"agency": release.agency.name})
            return redirect(_overview_url(tenant, case.pk))
    context = {"form": form, "form_version": services.FORM_VERSION}
    return render_case(request, "consent/release_form.html", access, TAB, context)


# --- Revocation -----------------------------------------------------------------------------


def _already_revoked(request: TenantRequest, tenant: str, pk: int, message: str) -> HttpResponse:
    messages.info(request, message)
    return redirect(_overview_url(tenant, pk))


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def consent_revoke(request: TenantRequest, tenant: str, pk: int, consent: int) -> HttpResponse:
    """Widerruf in one step. Revoking the processing consent anonymises the case at once."""
    access = _revoke_access(request, pk)
    case = access.case
    obj = Consent.objects.filter(case=case, pk=consent).select_related("case").first()
    if obj is None:
        raise Http404
    if obj.revoked_at is not None:
        return _already_revoked(request, tenant, case.pk, _("This consent is already revoked."))
    processing = obj.purpose == ConsentPurpose.PROCESSING
    if request.method == "POST":
        try:
            services.consent_revoke(obj, actor=request.user)
        except ValidationError as exc:
            for message in validation_messages(exc):
                messages.error(request, message)
            return redirect(_overview_url(tenant, case.pk))
        if processing:
            messages.success(
                request,
                _(
                    "The consent to processing was revoked. The case is anonymised and closed: the identity, "
                    "free texts and documents were deleted; the statistics remain."
                ),
            )
            return redirect("cases:detail", tenant=tenant, pk=case.pk)
        messages.success(request, _("The consent “%(purpose)s” was revoked.") % {"purpose": obj.get_purpose_display()})
        return redirect(_overview_url(tenant, case.pk))
    context = {"consent": obj, "processing": processing}
    return render_case(request, "consent/consent_revoke.html", access, TAB, context)


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def release_revoke(request: TenantRequest, tenant: str, pk: int, release: int) -> HttpResponse:
    """Revoking a release stops identity-bearing referrals to its agency at once."""
    access = _revoke_access(request, pk)
    case = access.case
    obj = Release.objects.filter(case=case, pk=release).select_related("case", "agency").first()
    if obj is None:
        raise Http404
    if obj.revoked_at is not None:
        return _already_revoked(request, tenant, case.pk, _("This release is already revoked."))
    if request.method == "POST":
        try:
            services.release_revoke(obj, actor=request.user)
        except ValidationError as exc:
            for message in validation_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("The release for %(agency)s was revoked.") % {"agency": obj.agency.name})
        return redirect(_overview_url(tenant, case.pk))
    context = {"release": _release_row(obj, timezone.localdate())}
    return render_case(request, "consent/release_revoke.html", access, TAB, context)
