"""Verweisberatung: the referrals of a case to partner agencies. Case managers send them and
follow their status; a coordinator may also send one and, with a logged reason, pass the
identity on without a release (override). Whether identity may pass is the service's decision
(:func:`lotse.cases.services.referrals.referral_create`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.domains import domain_labels
from lotse.cases.forms_referrals import ReferralForm, ReferralStatusForm
from lotse.cases.models import REFERRAL_TRANSITIONS, Case, ReferralStatus
from lotse.cases.services import referrals as services
from lotse.cases.views.base import load_case, read_only_message, render_case, require_work
from lotse.consent.selectors import valid_releases
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.network.selectors import agencies_for_referral
from lotse.ui.conflict import submit

STATUS_BADGES: dict[str, str] = {
    ReferralStatus.SENT: "info",
    ReferralStatus.ACCEPTED: "info",
    ReferralStatus.DECLINED: "danger",
    ReferralStatus.DONE: "success",
    ReferralStatus.WITHDRAWN: "warning",
}


def _releases(case: Case) -> list[dict[str, Any]]:
    """The releases in force today: what may be passed on to whom."""
    return [
        {"release": release, "topics": domain_labels(release.topics)}
        for release in valid_releases(case).select_related("agency").order_by("agency__name", "-given_on", "-pk")
    ]


@tenant_view()
@require_GET
def referral_list(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """Case managers of the case and coordinators (load_case refuses everyone else)."""
    access = load_case(request, pk)
    referrals = access.case.referrals.select_related("agency", "release", "override_by").order_by("-sent_on", "-pk")
    rows = [
        {
            "referral": referral,
            "badge": STATUS_BADGES.get(referral.status, "info"),
            "can_change": access.work and bool(REFERRAL_TRANSITIONS.get(referral.status)),
        }
        for referral in referrals
    ]
    context = {
        "rows": rows,
        "releases": _releases(access.case),
        "can_send": access.work or (access.oversight and access.case.is_editable),
    }
    return render_case(request, "cases/referrals.html", access, "referrals", context)


@tenant_view()
@require_http_methods(["GET", "POST"])
def referral_create(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    """The case manager of the case sends a referral; a coordinator may too, and only a
    coordinator may override a missing release (with a reason, logged)."""
    access = load_case(request, pk)
    if access.oversight:
        if not access.case.is_editable:
            messages.error(request, read_only_message(access))
            return redirect("cases:detail", tenant=tenant, pk=access.case.pk)
    else:
        refused = require_work(request, access)
        if refused is not None:
            return refused
    case = access.case
    # a release's "refer with identity" link prefills agency and topic
    initial: dict[str, Any] = {"agency": request.GET.get("agency"), "topic": request.GET.get("topic")}
    initial["with_identity"] = bool(initial["agency"]) and not case.is_anonymous
    form = ReferralForm(
        post_data(request),
        initial={k: v for k, v in initial.items() if v},
        agencies=agencies_for_referral(request.access),
        anonymous=case.is_anonymous,
        is_coordinator=access.oversight,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = services.referral_create(
                case,
                actor=request.user,
                agency=data["agency"],
                topic=data["topic"],
                with_identity=bool(data.get("with_identity")),
                note=data["note"],
                sent_on=data["sent_on"],
                override_reason=data.get("override_reason", "") if access.oversight else "",
                is_coordinator=access.oversight,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if referral.override_by_id:
                messages.success(
                    request,
                    _("The referral was sent with the client's identity without a release. The override was logged."),
                )
            else:
                messages.success(request, _("The referral was sent."))
            return redirect("cases:referral_list", tenant=tenant, pk=access.case.pk)
    context = {"form": form, "releases": _releases(case)}
    return render_case(request, "cases/referrals_form.html", access, "referrals", context)


def _readable(exc: StaleObjectError) -> StaleObjectError:
    """Show the referral's status in a conflict as the editor knows it, not as a code."""

    def show(name: str, value: Any) -> Any:
        if name == "status" and value in ReferralStatus.values:
            return ReferralStatus(value).label
        return value

    exc.changed = {name: (show(name, mine), show(name, theirs)) for name, (mine, theirs) in exc.changed.items()}
    return exc


@tenant_view(Perm.CASE_WORK)
@require_http_methods(["GET", "POST"])
def referral_update(request: TenantRequest, tenant: str, pk: int, referral: int) -> HttpResponse:
    """Record what became of a referral: accepted, declined (with reason), done (with outcome)
    or withdrawn. Case managers of the case only."""
    access = load_case(request, pk)
    refused = require_work(request, access)
    if refused is not None:
        return refused
    obj = get_object_or_404(access.case.referrals.select_related("agency", "release", "override_by"), pk=referral)
    form = ReferralStatusForm(post_data(request), referral=obj, initial={"version": obj.version})

    def save(data: dict[str, Any]) -> Any:
        status = data["status"]
        return services.referral_transition(
            obj,
            actor=request.user,
            status=status,
            expected_version=data["version"],
            decline_reason=data.get("decline_reason", "") if status == ReferralStatus.DECLINED else "",
            outcome=data.get("outcome", "") if status == ReferralStatus.DONE else "",
        )

    done = submit(request, form, save, readable=_readable)
    if done.saved:
        status = form.cleaned_data["status"]
        messages.success(request, _("The referral is now %(status)s.") % {"status": ReferralStatus(status).label})
        return redirect("cases:referral_list", tenant=tenant, pk=access.case.pk)
    context = {
        "form": form,
        "referral": obj,
        "badge": STATUS_BADGES.get(obj.status, "info"),
        "can_change": bool(REFERRAL_TRANSITIONS.get(obj.status)),
        "conflict": done.conflict,
    }
    return render_case(request, "cases/referrals_status.html", access, "referrals", context)
