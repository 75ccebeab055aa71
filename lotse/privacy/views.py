"""The data-protection officer's pages: overview (requests, restricted cases, retention rule
and its preview), opening a request for one case by its number, and per request the operation
it covers: access export (JSON, PDF), rectification with history, restriction and lifting,
erasure. The case is reached only through a logged request (:mod:`lotse.access.privacy`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access import privacy as access
from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.identity import IdentityData, unseal
from lotse.cases.models import Identity
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.privacy import export, services
from lotse.privacy.forms import RectifyForm, RequestForm, RestrictForm, RetentionForm, VersionOnlyForm
from lotse.privacy.models import PrivacyRequest, RequestKind
from lotse.ui.conflict import add_service_errors, submit

PREVIEW_LIMIT = 50


def _detail_url(request: TenantRequest, privacy_request: PrivacyRequest) -> str:
    return reverse("privacy:request_detail", kwargs={"tenant": request.access.tenant.slug, "pk": privacy_request.pk})


def _of_kind(request: TenantRequest, pk: int, kind: str) -> PrivacyRequest:
    found = access.request_get(request.access, pk)
    if found.kind != kind:
        raise Http404
    return found


def _stale(request: TenantRequest) -> None:
    messages.warning(
        request,
        _("Someone changed this case while you were working on it. Nothing was saved; check the current values."),
    )


@tenant_view(Perm.PRIVACY_MANAGE)
@require_GET
def overview(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    plan = services.retention_plan(ctx.tenant, cases=access.retention_candidates_scope(ctx))
    context = {
        "requests": access.requests_scope(ctx).select_related("case")[:100],
        "restricted": access.restricted_cases_scope(ctx).only("number", "restricted_at").order_by("restricted_at"),
        "plan": plan,
        "due_preview": plan.due[:PREVIEW_LIMIT],
        "more_due": max(len(plan.due) - PREVIEW_LIMIT, 0),
    }
    return render(request, "privacy/overview.html", context)


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def request_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = RequestForm(post_data(request))

    def action(data: dict[str, Any]) -> PrivacyRequest:
        case = access.case_for_request(ctx, data["number"])
        return services.request_open(
            actor=request.user,
            tenant=ctx.tenant,
            case=case,
            kind=data["kind"],
            reference=data["reference"],
            reason=data["reason"],
        )

    done = submit(request, form, action)
    if done.saved:
        messages.success(request, _("The request was opened and logged."))
        return redirect(_detail_url(request, done.result))
    return render(request, "privacy/request_form.html", {"form": form})


@tenant_view(Perm.PRIVACY_MANAGE)
@require_GET
def request_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = access.request_get(request.access, pk)
    history = []
    if found.kind == RequestKind.RECTIFICATION:
        history = services.rectification_history(found, actor=request.user)
    context = {
        "req": found,
        "case": found.case,
        "history": history,
        "restrict_form": RestrictForm(initial={"version": found.case.version}),
        "lift_form": VersionOnlyForm(initial={"version": found.case.version}),
    }
    return render(request, "privacy/request_detail.html", context)


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


@tenant_view(Perm.PRIVACY_MANAGE)
@require_GET
def request_json(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = _of_kind(request, pk, RequestKind.ACCESS)
    content = export.export_json(found, actor=request.user)
    return _attachment(content, "application/json", f"auskunft-{found.case.number}.json")


@tenant_view(Perm.PRIVACY_MANAGE)
@require_GET
def request_pdf(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = _of_kind(request, pk, RequestKind.ACCESS)
    content = export.export_pdf(found, actor=request.user)
    return _attachment(content, "application/pdf", f"auskunft-{found.case.number}.pdf")


def _identity_initial(found: PrivacyRequest) -> tuple[dict[str, Any], int, bool]:
    row = Identity.objects.filter(case_id=found.case_id).first()
    if row is None:
        return {}, 0, False
    data = unseal(bytes(row.ciphertext), case_id=found.case_id)
    return (
        {name: getattr(data, name) for name, _l, _r in RectifyForm.IDENTITY} | {"birth_date": data.birth_date},
        (row.version),
        True,
    )


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def rectify(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Berichtigung: the current values are shown for correction (an identity read, audited
    once per GET), the old values go to the history."""
    from lotse.audit.services import audit_record

    found = _of_kind(request, pk, RequestKind.RECTIFICATION)
    case = found.case
    if case.anonymised_at is not None:
        messages.error(request, _("This case is anonymised; there is nothing left to rectify."))
        return redirect(_detail_url(request, found))
    identity_initial, identity_version, has_identity = _identity_initial(found)
    if request.method == "GET" and has_identity:
        audit_record(
            action="identity.viewed",
            actor=request.user,
            tenant_id=case.tenant_id,
            obj=case,
            details={"as_substitute": False, "privacy_request": found.pk},
        )
    initial = {
        "version": case.version,
        "identity_version": identity_version,
        **{name: getattr(case, name) for name in services.CASE_TEXT_FIELDS},
        **identity_initial,
    }
    form = RectifyForm(post_data(request), initial=initial, with_identity=has_identity)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = None
        if has_identity:
            identity = IdentityData(
                **{name: (data.get(name) or "").strip() for name, _l, _r in RectifyForm.IDENTITY},
                birth_date=data.get("birth_date"),
            )
        try:
            fields = services.rectify(
                found,
                actor=request.user,
                reason=data["reason"],
                case_fields={name: data.get(name) or "" for name in services.CASE_TEXT_FIELDS},
                identity=identity,
                expected_version=data["version"],
                expected_identity_version=data["identity_version"],
            )
        except StaleObjectError:
            _stale(request)
            return redirect(request.path)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Rectified: %(count)d field(s).") % {"count": len(fields)})
            return redirect(_detail_url(request, found))
    return render(request, "privacy/rectify.html", {"form": form, "req": found, "case": case})


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def restrict(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = _of_kind(request, pk, RequestKind.RESTRICTION)
    form = RestrictForm(post_data(request), initial={"version": found.case.version})
    done = submit(
        request,
        form,
        lambda d: services.restrict(found, actor=request.user, reason=d["reason"], expected_version=d["version"]),
    )
    if done.saved:
        messages.success(request, _("Processing of the case is restricted. The case is frozen until you lift it."))
        return redirect(_detail_url(request, found))
    return render(
        request, "privacy/restrict.html", {"form": form, "req": found, "case": found.case, "conflict": done.conflict}
    )


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def restriction_lift(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = _of_kind(request, pk, RequestKind.RESTRICTION)
    form = VersionOnlyForm(post_data(request), initial={"version": found.case.version})
    if request.method == "POST" and request.POST.get("confirm") == "1":
        done = submit(
            request, form, lambda d: services.restriction_lift(found, actor=request.user, expected_version=d["version"])
        )
        if done.saved:
            messages.success(request, _("The restriction is lifted; the case can be worked on again."))
            return redirect(_detail_url(request, found))
    return render(request, "privacy/lift.html", {"form": form, "req": found, "case": found.case})


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def erase(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    found = _of_kind(request, pk, RequestKind.ERASURE)
    form = VersionOnlyForm(post_data(request), initial={"version": found.case.version})
    if request.method == "POST" and request.POST.get("confirm") == "1":
        done = submit(request, form, lambda d: services.erase(found, actor=request.user, expected_version=d["version"]))
        if done.saved:
            messages.success(request, _("The personal data of the case are erased."))
            return redirect(_detail_url(request, found))
    elif request.method == "POST":
        messages.error(request, _("Confirm the erasure to go on."))
    return render(request, "privacy/erase.html", {"form": form, "req": found, "case": found.case})


@tenant_view(Perm.PRIVACY_MANAGE)
@require_http_methods(["GET", "POST"])
def retention(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    rule = services.retention_rule(ctx.tenant)
    form = RetentionForm(post_data(request), initial={"version": rule.version, "months": rule.months})
    done = submit(
        request,
        form,
        lambda d: services.retention_rule_update(
            rule, actor=request.user, months=d["months"], expected_version=d["version"]
        ),
    )
    if done.saved:
        messages.success(request, _("The retention rule was saved."))
        return redirect("privacy:overview", tenant=ctx.tenant.slug)
    return render(
        request, "privacy/retention.html", {"form": form, "conflict": done.conflict, "today": timezone.localdate()}
    )
