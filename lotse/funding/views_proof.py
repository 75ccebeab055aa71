"""Proof of use (Verwendungsnachweis) pages: list, create, detail with the statement, edit
(all lines in one form), delete, a repayment claim from the Minderausgaben, PDF and XLSX, and the
consolidated proof of the tenant. Funding clerks keep the proofs; coordinators read and download
them. Every read goes through :mod:`lotse.access.funding`; the figures come from
:mod:`lotse.funding.proof`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef
from django.http import HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.funding import can_manage_funding, claims_scope, programmes_scope, proofs_scope
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.access.policy import providers_scope
from lotse.audit.services import audit_record
from lotse.cases.domains import LifeDomain
from lotse.cases.models import ReferralStatus
from lotse.core.http import post_data
from lotse.funding import proof_pdf as pdf_export
from lotse.funding import proof_xlsx as xlsx_export
from lotse.funding import services_proof
from lotse.funding.forms_proof import ConsolidatedForm, ProofCreateForm, ProofEditForm, confirmation_labels
from lotse.funding.models import MaterialCategory, PositionType, ProofOfUse, RepaymentClaim
from lotse.funding.proof import (
    CONFIRMATIONS,
    MissingRate,
    ProofDocument,
    load_consolidated,
    load_document,
    proofs_with_lines,
)
from lotse.ui.conflict import submit

CONSOLIDATED_PARAMS = ("programme", "period_start", "period_end")


# --- helpers --------------------------------------------------------------------------------


def _url(request: TenantRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"funding:{name}", kwargs={"tenant": request.access.tenant.slug, **kwargs})


def _proof(request: TenantRequest, pk: int) -> ProofOfUse:
    """A proof of the tenant with its lines (404 for any other id)."""
    proof: ProofOfUse = get_object_or_404(proofs_with_lines(request.access), pk=pk)
    return proof


def _statement_view(document: ProofDocument) -> dict[str, Any]:
    """The statement with the labels of the page (translated like every page)."""
    st = document.statement
    types = dict(PositionType.choices)
    categories = dict(MaterialCategory.choices)
    income_labels = {
        "own_share": _("Own share"),
        "third_party": _("Third-party funds (without public funding)"),
        "public_grant": _("Other public funding"),
        "state_grant": _("State grant"),
        "total": _("Total"),
    }
    activity = None
    if st.activity is not None:
        domains, statuses = dict(LifeDomain.choices), dict(ReferralStatus.choices)
        activity = {
            "figures": st.activity,
            "by_domain": [(domains.get(code, code), n) for code, n in st.activity.by_domain],
            "by_status": [(statuses.get(code, code), n) for code, n in st.activity.referrals_by_status],
            "themes": st.activity.themes_by_level,
        }
    ticked = dict(document.confirmations)
    labels = confirmation_labels()
    return {
        "document": document,
        "st": st,
        "groups": [{"label": types.get(g.position_type, g.position_type), "group": g} for g in st.staff_groups],
        "material": [{"label": categories.get(m.category, m.category), "amounts": m.amounts} for m in st.material_rows],
        "income": [{"label": income_labels[row.key], "row": row} for row in st.income],
        "activity": activity,
        "confirmations": [{"label": labels[name], "ticked": ticked.get(name, False)} for name, _t in CONFIRMATIONS],
    }


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Length"] = str(len(content))
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _render(document: ProofDocument, kind: str) -> bytes:
    return pdf_export.proof_pdf(document) if kind == "pdf" else xlsx_export.proof_xlsx(document)


def _missing_rate(request: TenantRequest, exc: MissingRate) -> None:
    messages.error(request, services_proof.missing_rate_message(exc))


# --- list and create ------------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    proofs = (
        proofs_scope(ctx)
        .select_related("programme", "provider")
        .annotate(has_claim=Exists(claims_scope(ctx).filter(proof=OuterRef("pk"))))
        .order_by("programme__name", "-period_start", "-period_end", "provider__name", "pk")
    )
    periods = (
        proofs_scope(ctx)
        .values("programme_id", "programme__name", "period_start", "period_end")
        .annotate(count=Count("pk"))
        .order_by("programme__name", "-period_start", "-period_end")
    )
    consolidated = []
    for period in periods:
        query = QueryDict(mutable=True)
        query.update(
            {
                "programme": str(period["programme_id"]),
                "period_start": period["period_start"].isoformat(),
                "period_end": period["period_end"].isoformat(),
            }
        )
        consolidated.append({**period, "query": query.urlencode()})
    context = {"proofs": proofs, "consolidated": consolidated, "can_manage": can_manage_funding(ctx)}
    return render(request, "funding/proof_list.html", context)


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def proof_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    programmes = programmes_scope(ctx).order_by("-starts_on", "name")
    form = ProofCreateForm(post_data(request), programmes=programmes, providers=providers_scope(ctx).order_by("name"))
    created: list[ProofOfUse] = []

    def create(data: dict[str, Any]) -> None:
        created.append(
            services_proof.proof_create(
                actor=request.user,
                tenant=ctx.tenant,
                programme=data["programme"],
                provider=data["provider"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                contract_date=data.get("contract_date"),
            )
        )

    done = submit(request, form, create)
    if done.saved:
        proof = created[0]
        messages.success(
            request,
            _("The proof of use was created with %(count)s staff lines. Enter the actual costs now.")
            % {"count": proof.staff_lines.count()},
        )
        return redirect(_url(request, "proof_edit", pk=proof.pk))
    return render(request, "funding/proof_create.html", {"form": form})


# --- detail, consolidated -------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    proof = _proof(request, pk)
    context: dict[str, Any] = {
        "proof": proof,
        "can_manage": can_manage_funding(ctx),
        "claim": claims_scope(ctx).filter(proof=proof).order_by("pk").first(),
        "missing_rate": None,
    }
    try:
        context.update(_statement_view(load_document(ctx, proof)))
    except MissingRate as exc:
        context["missing_rate"] = services_proof.missing_rate_message(exc)
    return render(request, "funding/proof_detail.html", context)


def _consolidated_form(request: TenantRequest) -> ConsolidatedForm:
    bound = any(name in request.GET for name in CONSOLIDATED_PARAMS)
    return ConsolidatedForm(
        request.GET if bound else None, programmes=programmes_scope(request.access).order_by("-starts_on", "name")
    )


def _consolidated_document(request: TenantRequest, form: ConsolidatedForm) -> ProofDocument | None:
    data = form.cleaned_data
    return load_consolidated(request.access, data["programme"], data["period_start"], data["period_end"])


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_consolidated(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = _consolidated_form(request)
    context: dict[str, Any] = {"form": form, "missing_rate": None, "document": None, "query": ""}
    if form.is_bound and form.is_valid():
        try:
            document = _consolidated_document(request, form)
        except MissingRate as exc:
            document = None
            context["missing_rate"] = services_proof.missing_rate_message(exc)
        if document is not None:
            context.update(_statement_view(document))
            context["query"] = request.GET.urlencode()
        elif context["missing_rate"] is None:
            context["empty"] = True
    context["periods"] = (
        proofs_scope(ctx)
        .values("programme_id", "programme__name", "period_start", "period_end")
        .annotate(count=Count("pk"))
        .order_by("programme__name", "-period_start", "-period_end")
    )
    return render(request, "funding/proof_consolidated.html", context)


def _consolidated_download(request: TenantRequest, kind: str) -> HttpResponse:
    ctx = request.access
    form = _consolidated_form(request)
    back = _url(request, "proof_consolidated")
    if not (form.is_bound and form.is_valid()):
        messages.error(request, _("Choose a funding programme and a period with proofs of use."))
        kept = QueryDict(mutable=True)
        for name in CONSOLIDATED_PARAMS:
            if name in request.GET:
                kept[name] = request.GET[name][:50]
        return redirect(f"{back}?{kept.urlencode()}" if kept else back)
    try:
        document = _consolidated_document(request, form)
    except MissingRate as exc:
        _missing_rate(request, exc)
        return redirect(f"{back}?{request.GET.urlencode()}")
    if document is None:
        messages.error(request, _("There is no proof of use of a provider for this programme and period."))
        return redirect(f"{back}?{request.GET.urlencode()}")
    content = _render(document, kind)
    audit_record(
        action="funding.proof_exported",
        actor=request.user,
        tenant=ctx.tenant,
        object_type="funding.fundingprogramme",
        object_id=form.cleaned_data["programme"].pk,
        details={"format": kind, "consolidated": True, "proofs": list(document.proof_ids)[:50]},
    )
    content_type = "application/pdf" if kind == "pdf" else xlsx_export.CONTENT_TYPE
    return _attachment(content, content_type, pdf_export.proof_filename(document, kind))


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_consolidated_pdf(request: TenantRequest, tenant: str) -> HttpResponse:
    return _consolidated_download(request, "pdf")


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_consolidated_xlsx(request: TenantRequest, tenant: str) -> HttpResponse:
    return _consolidated_download(request, "xlsx")


# --- edit, delete, claim --------------------------------------------------------------------


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def proof_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    proof = _proof(request, pk)
    staff_lines = list(proof.staff_lines.all())
    form = ProofEditForm(
        post_data(request), proof=proof, staff_lines=staff_lines, material_lines=list(proof.material_lines.all())
    )

    def save(data: dict[str, Any]) -> None:
        services_proof.proof_update(
            proof,
            actor=request.user,
            expected_version=data.get("version") or 0,
            fields=form.proof_fields(),
            staff=form.staff_amounts(),
            material=form.material_entries(),
        )

    done = submit(request, form, save)
    if done.saved:
        messages.success(request, _("The proof of use was saved."))
        return redirect(_url(request, "proof_detail", pk=proof.pk))
    types = dict(PositionType.choices)
    context = {
        "form": form,
        "proof": proof,
        "conflict": done.conflict,
        "staff_rows": [{**row, "type": types.get(row["line"].position.position_type, "")} for row in form.staff_rows()],
    }
    return render(request, "funding/proof_edit.html", context)


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def proof_delete(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Confirm (GET), then delete (POST with ``confirm=1``; without it nothing is deleted)."""
    proof = get_object_or_404(proofs_scope(request.access).select_related("programme", "provider"), pk=pk)
    error = ""
    if request.method == "POST":
        if request.POST.get("confirm") == "1":
            services_proof.proof_delete(proof, actor=request.user)
            messages.success(request, _("The proof of use was deleted."))
            return redirect(_url(request, "proof_list"))
        error = _("Tick the box to confirm that the proof of use is to be deleted.")
    return render(request, "funding/proof_delete.html", {"proof": proof, "error": error})


@tenant_view(Perm.FUNDING_MANAGE)
@require_POST
def proof_claim(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """A repayment claim for the Minderausgaben (POST with ``confirm=1``); once per proof."""
    proof = _proof(request, pk)
    detail = _url(request, "proof_detail", pk=proof.pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, _("Tick the box to confirm the repayment claim. No claim was created."))
        return redirect(detail)
    try:
        document = load_document(request.access, proof, with_activity=False)
    except MissingRate as exc:
        _missing_rate(request, exc)
        return redirect(detail)
    try:
        claim: RepaymentClaim = services_proof.proof_claim_create(
            proof, actor=request.user, statement=document.statement
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(detail)
    messages.success(request, _("The repayment claim was created."))
    return redirect(_url(request, "claim_detail", pk=claim.pk))


# --- downloads ------------------------------------------------------------------------------


def _download(request: TenantRequest, pk: int, kind: str) -> HttpResponse:
    proof = _proof(request, pk)
    try:
        document = load_document(request.access, proof)
    except MissingRate as exc:
        _missing_rate(request, exc)
        return redirect(_url(request, "proof_detail", pk=proof.pk))
    content = _render(document, kind)
    audit_record(
        action="funding.proof_exported",
        actor=request.user,
        tenant=request.access.tenant,
        obj=proof,
        details={"format": kind},
    )
    content_type = "application/pdf" if kind == "pdf" else xlsx_export.CONTENT_TYPE
    return _attachment(content, content_type, pdf_export.proof_filename(document, kind))


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_pdf(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    return _download(request, pk, "pdf")


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def proof_xlsx(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    return _download(request, pk, "xlsx")
