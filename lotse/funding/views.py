"""Funding control: the funding clerk keeps programmes and flat rates, positions, payment calls,
base rates and repayment claims of the tenant; coordinators read them. No page here shows a
case or a client. Views are thin: forms validate, services write, selectors read through the
access layer (:mod:`lotse.access.funding`)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.funding import can_manage_funding
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.funding import calc, selectors, services
from lotse.funding.forms import (
    BaseRateForm,
    ClaimForm,
    PaymentFilterForm,
    PaymentForm,
    PositionFilterForm,
    PositionForm,
    ProgrammeForm,
    RatesForm,
)
from lotse.funding.models import MonthRule, PositionType
from lotse.ui.conflict import submit

# --- helpers --------------------------------------------------------------------------------


def _readable(exc: StaleObjectError) -> StaleObjectError:
    """Conflicts in the words the editor knows: labels instead of stored codes."""
    labels = {**dict(PositionType.choices), **dict(MonthRule.choices)}

    def show(value: Any) -> Any:
        if isinstance(value, str):
            return labels.get(value, value)
        if isinstance(value, datetime.date):
            return date_format(value, "SHORT_DATE_FORMAT")
        return value

    exc.changed = {name: (show(mine), show(theirs)) for name, (mine, theirs) in exc.changed.items()}
    return exc


def _save_or_form(
    request: TenantRequest,
    form: Any,
    action: Callable[[dict[str, Any]], Any],
    *,
    saved: str,
    then: Callable[[Any], str],
    template: str,
    **context: Any,
) -> HttpResponse:
    """Every form page of the funding records: on a valid POST the service runs
    (:func:`lotse.ui.conflict.submit`), the page says ``saved`` and goes on to ``then(result)``
    (``result``: what the service returned); otherwise the form shows again with its errors, or
    with the conflict table of a stale save."""
    done = submit(request, form, action, readable=_readable)
    if done.saved:
        messages.success(request, saved)
        return redirect(then(done.result))
    return _form_page(request, template, form, conflict=done.conflict, **context)


def _url(request: TenantRequest, name: str, **kwargs: Any) -> str:
    return reverse(f"funding:{name}", kwargs={"tenant": request.access.tenant.slug, **kwargs})


def _form_page(request: TenantRequest, template: str, form: Any, **context: Any) -> HttpResponse:
    return render(request, f"funding/{template}", {"form": form, **context})


def _require_manage(request: TenantRequest) -> None:
    """Pages that coordinators read (GET) but only funding clerks change (POST)."""
    if request.method == "POST" and not can_manage_funding(request.access):
        raise PermissionDenied


def _confirmed(request: TenantRequest) -> bool:
    return request.POST.get("confirm") == "1"


def _confirm_page(
    request: TenantRequest,
    *,
    title: str,
    question: str,
    what: list[tuple[str, Any]],
    cancel_url: str,
    blocked: bool = False,
) -> HttpResponse:
    context = {"title": title, "question": question, "what": what, "cancel_url": cancel_url, "blocked": blocked}
    return render(request, "funding/confirm_delete.html", context)


def _missing_base_rate(request: TenantRequest, day: datetime.date) -> None:
    messages.error(
        request,
        _("No base rate is known for %(day)s, so the interest cannot be computed. Enter it under “Base rates”.")
        % {"day": date_format(day, "SHORT_DATE_FORMAT")},
    )


def _id(value: Any) -> int | None:
    return value.pk if value is not None else None


# --- overview -------------------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def overview(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    services.ensure_base_rates(ctx.tenant)
    rows = selectors.overview(ctx)
    context = {
        "rows": rows,
        "today": timezone.localdate(),
        "position_types": PositionType.choices,
        "can_manage": can_manage_funding(ctx),
        "interest_missing": any(r.interest_missing for r in rows),
        "missing_rates": any(r.missing_rates for r in rows),
    }
    return render(request, "funding/overview.html", context)


# --- programmes and flat rates --------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def programme_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    context = {"programmes": selectors.programme_list(ctx), "can_manage": can_manage_funding(ctx)}
    return render(request, "funding/programme_list.html", context)


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = ProgrammeForm(post_data(request), programmes=selectors.programmes(ctx))

    def create(data: dict[str, Any]) -> Any:
        return services.programme_create(actor=request.user, tenant=ctx.tenant, **form.programme_fields())

    return _save_or_form(
        request,
        form,
        create,
        saved=_("The programme was created with the default flat rates for every year of its period."),
        then=lambda programme: _url(request, "programme_rates", pk=programme.pk),
        template="programme_form.html",
        heading=_("New funding programme"),
        submit_label=_("Create programme"),
        cancel_url=_url(request, "programme_list"),
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def programme_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    programme = selectors.programme_get(ctx, pk)
    form = ProgrammeForm(post_data(request), programmes=selectors.programmes(ctx), instance=programme)

    def save(data: dict[str, Any]) -> None:
        services.programme_update(
            programme, actor=request.user, expected_version=data.get("version") or 0, **form.programme_fields()
        )

    return _save_or_form(
        request,
        form,
        save,
        saved=_("The changes were saved."),
        then=lambda _saved: _url(request, "programme_list"),
        template="programme_form.html",
        heading=_("Edit funding programme"),
        submit_label=_("Save"),
        cancel_url=_url(request, "programme_list"),
        programme=programme,
    )


@tenant_view(Perm.FUNDING_VIEW)
@require_http_methods(["GET", "POST"])
def programme_rates(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    programme = selectors.programme_get(ctx, pk)
    _require_manage(request)
    form = RatesForm(post_data(request), programme=programme, rates=selectors.rate_table(ctx, programme))

    def save(data: dict[str, Any]) -> None:
        services.rates_save(
            programme, actor=request.user, expected_version=data.get("version") or 0, amounts=form.amounts()
        )

    return _save_or_form(
        request,
        form,
        save,
        saved=_("The flat rates were saved."),
        then=lambda _saved: _url(request, "programme_rates", pk=programme.pk),
        template="rates.html",
        programme=programme,
        types=PositionType.choices,
        can_manage=can_manage_funding(ctx),
    )


# --- positions ------------------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def position_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = PositionFilterForm(
        request.GET or None, providers=selectors.providers(ctx), programmes=selectors.programmes(ctx)
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "provider_id": _id(data["provider"]),
            "programme_id": _id(data["programme"]),
            "position_type": data["position_type"],
            "year": data["year"],
        }
    context = {"form": form, "listing": selectors.position_list(ctx, **filters), "can_manage": can_manage_funding(ctx)}
    return render(request, "funding/position_list.html", context)


def _position_form(request: TenantRequest, instance: Any = None) -> PositionForm:
    ctx = request.access
    return PositionForm(
        post_data(request),
        providers=selectors.providers(ctx),
        programmes=selectors.programmes(ctx),
        instance=instance,
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def position_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = _position_form(request)

    def create(data: dict[str, Any]) -> Any:
        return services.position_create(actor=request.user, tenant=ctx.tenant, **form.position_fields())

    return _save_or_form(
        request,
        form,
        create,
        saved=_("The position was saved."),
        then=lambda _saved: _url(request, "position_list"),
        template="position_form.html",
        heading=_("New position"),
        submit_label=_("Save position"),
        cancel_url=_url(request, "position_list"),
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def position_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    position = selectors.position_get(request.access, pk)
    form = _position_form(request, position)

    def save(data: dict[str, Any]) -> None:
        services.position_update(
            position, actor=request.user, expected_version=data.get("version") or 0, **form.position_fields()
        )

    return _save_or_form(
        request,
        form,
        save,
        saved=_("The changes were saved."),
        then=lambda _saved: _url(request, "position_list"),
        template="position_form.html",
        heading=_("Edit position"),
        submit_label=_("Save"),
        cancel_url=_url(request, "position_list"),
        position=position,
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def position_delete(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    position = selectors.position_get(request.access, pk)
    back = _url(request, "position_list")
    if request.method == "POST" and _confirmed(request):
        try:
            services.position_delete(position, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect(back)
        messages.success(request, _("The position was deleted."))
        return redirect(back)
    what = [
        (_("Provider"), position.provider.name),
        (_("Funding programme"), position.programme.name),
        (_("Position type"), position.get_position_type_display()),
        (_("Full-time equivalents"), position.fte),
        (_("From"), date_format(position.starts_on, "SHORT_DATE_FORMAT")),
    ]
    blocked = selectors.position_in_proof(position)
    if blocked:
        messages.warning(
            request, _("This position is part of a proof of use and cannot be deleted. Set an end date instead.")
        )
    return _confirm_page(
        request,
        title=_("Delete position"),
        question=_("The position and its dates are removed. Payment calls and proofs of use are not changed."),
        what=what,
        cancel_url=back,
        blocked=blocked,
    )


# --- payment calls --------------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def payment_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = PaymentFilterForm(
        request.GET or None, providers=selectors.providers(ctx), programmes=selectors.programmes(ctx)
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "programme_id": _id(form.cleaned_data["programme"]),
            "provider_id": _id(form.cleaned_data["provider"]),
        }
    context = {"form": form, "listing": selectors.payment_list(ctx, **filters), "can_manage": can_manage_funding(ctx)}
    return render(request, "funding/payment_list.html", context)


def _payment_form(request: TenantRequest, instance: Any = None) -> PaymentForm:
    ctx = request.access
    return PaymentForm(
        post_data(request),
        providers=selectors.providers(ctx),
        programmes=selectors.programmes(ctx),
        instance=instance,
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def payment_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = _payment_form(request)

    def create(data: dict[str, Any]) -> Any:
        return services.payment_create(actor=request.user, tenant=ctx.tenant, **form.payment_fields())

    return _save_or_form(
        request,
        form,
        create,
        saved=_("The payment call was saved."),
        then=lambda _saved: _url(request, "payment_list"),
        template="payment_form.html",
        heading=_("New payment call"),
        submit_label=_("Save payment call"),
        cancel_url=_url(request, "payment_list"),
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def payment_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    payment = selectors.payment_get(request.access, pk)
    form = _payment_form(request, payment)

    def save(data: dict[str, Any]) -> None:
        services.payment_update(
            payment, actor=request.user, expected_version=data.get("version") or 0, **form.payment_fields()
        )

    return _save_or_form(
        request,
        form,
        save,
        saved=_("The changes were saved."),
        then=lambda _saved: _url(request, "payment_list"),
        template="payment_form.html",
        heading=_("Edit payment call"),
        submit_label=_("Save"),
        cancel_url=_url(request, "payment_list"),
        payment=payment,
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def payment_delete(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    payment = selectors.payment_get(request.access, pk)
    back = _url(request, "payment_list")
    if request.method == "POST" and _confirmed(request):
        services.payment_delete(payment, actor=request.user)
        messages.success(request, _("The payment call was deleted."))
        return redirect(back)
    what = [
        (_("Funding programme"), payment.programme.name),
        (_("Provider"), payment.provider.name),
        (_("Call on"), date_format(payment.due_on, "SHORT_DATE_FORMAT")),
        (_("Planned amount (EUR)"), payment.planned_amount),
    ]
    return _confirm_page(
        request,
        title=_("Delete payment call"),
        question=_("The payment call and the receipt recorded for it are removed."),
        what=what,
        cancel_url=back,
    )


# --- base rates -----------------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_http_methods(["GET", "POST"])
def base_rate_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    _require_manage(request)
    services.ensure_base_rates(ctx.tenant)
    form = BaseRateForm(post_data(request), base_rates=selectors.base_rates(ctx))

    def add(data: dict[str, Any]) -> Any:
        return services.base_rate_add(
            actor=request.user, tenant=ctx.tenant, valid_from=data["valid_from"], rate=data["rate"]
        )

    return _save_or_form(
        request,
        form,
        add,
        saved=_("The base rate was saved."),
        then=lambda _saved: _url(request, "base_rate_list"),
        template="base_rates.html",
        base_rates=list(selectors.base_rates(ctx)),
        missing_from=selectors.current_half_year_missing(ctx),
        can_manage=can_manage_funding(ctx),
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_POST
def base_rate_delete(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    base_rate = selectors.base_rate_get(request.access, pk)
    if not _confirmed(request):
        messages.error(request, _("Confirm the deletion. The base rate was not deleted."))
    else:
        services.base_rate_delete(base_rate, actor=request.user)
        messages.success(
            request,
            _("The base rate valid from %(day)s was deleted.")
            % {"day": date_format(base_rate.valid_from, "SHORT_DATE_FORMAT")},
        )
    return redirect(_url(request, "base_rate_list"))


# --- repayment claims -----------------------------------------------------------------------


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def claim_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    services.ensure_base_rates(ctx.tenant)
    rows = selectors.claim_list(ctx)
    context = {
        "rows": rows,
        "today": timezone.localdate(),
        "missing": any(r.interest is None for r in rows),
        "can_manage": can_manage_funding(ctx),
    }
    return render(request, "funding/claim_list.html", context)


def _claim_form(request: TenantRequest, instance: Any = None) -> ClaimForm:
    ctx = request.access
    return ClaimForm(
        post_data(request),
        providers=selectors.providers(ctx),
        programmes=selectors.programmes(ctx),
        instance=instance,
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def claim_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = _claim_form(request)

    def create(data: dict[str, Any]) -> Any:
        return services.claim_create(actor=request.user, tenant=ctx.tenant, **form.claim_fields())

    return _save_or_form(
        request,
        form,
        create,
        saved=_("The repayment claim was saved."),
        then=lambda claim: _url(request, "claim_detail", pk=claim.pk),
        template="claim_form.html",
        heading=_("New repayment claim"),
        submit_label=_("Save claim"),
        cancel_url=_url(request, "claim_list"),
    )


@tenant_view(Perm.FUNDING_MANAGE)
@require_http_methods(["GET", "POST"])
def claim_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    claim = selectors.claim_get(request.access, pk)
    form = _claim_form(request, claim)

    def save(data: dict[str, Any]) -> None:
        services.claim_update(
            claim, actor=request.user, expected_version=data.get("version") or 0, **form.claim_fields()
        )

    return _save_or_form(
        request,
        form,
        save,
        saved=_("The changes were saved."),
        then=lambda _saved: _url(request, "claim_detail", pk=claim.pk),
        template="claim_form.html",
        heading=_("Edit repayment claim"),
        submit_label=_("Save"),
        cancel_url=_url(request, "claim_detail", pk=claim.pk),
        claim=claim,
    )


def _as_of(request: TenantRequest) -> datetime.date:
    """The ``until`` parameter (YYYY-MM-DD), or today with a message if it is not a date."""
    today = timezone.localdate()
    text = request.GET.get("until", "").strip()
    if not text:
        return today
    try:
        if len(text) != 10:
            raise ValueError(text)
        return datetime.date.fromisoformat(text)
    except ValueError:
        messages.error(
            request,
            _("“%(value)s” is not a date (YYYY-MM-DD). The interest is shown until today.") % {"value": text[:20]},
        )
        return today


@tenant_view(Perm.FUNDING_VIEW)
@require_GET
def claim_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    claim = selectors.claim_get(ctx, pk)
    as_of = _as_of(request)
    services.ensure_base_rates(ctx.tenant)
    result = selectors.claim_interest(claim, selectors.base_rate_table(ctx), as_of)
    if result.missing_day is not None:
        _missing_base_rate(request, result.missing_day)
    context = {
        "claim": claim,
        "result": result,
        "as_of": as_of,
        "day_count": calc.DAY_COUNT,
        "can_manage": can_manage_funding(ctx),
    }
    return render(request, "funding/claim_detail.html", context)
