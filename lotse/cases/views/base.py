"""What every page of a case shares: loading the case through the access layer, the case's tab
navigation, and refusing work on a case that is read-only for the user."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lotse.access.cases import CaseAccess, case_access
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.cases.services.common import restricted_message


@dataclass(frozen=True)
class Tab:
    key: str
    label: Promise
    url_name: str
    # shown to coordinators (pseudonymised view) too
    oversight: bool = True


TABS: tuple[Tab, ...] = (
    Tab("overview", gettext_lazy("Overview"), "cases:detail"),
    Tab("identity", gettext_lazy("Identity"), "cases:identity", oversight=False),
    Tab("consent", gettext_lazy("Consent and releases"), "consent:case_overview"),
    Tab("assessment", gettext_lazy("Assessment"), "cases:assessment_list"),
    Tab("goals", gettext_lazy("Goals"), "cases:goal_list"),
    Tab("contacts", gettext_lazy("Contacts"), "cases:contact_list"),
    Tab("referrals", gettext_lazy("Referrals"), "cases:referral_list"),
    Tab("documents", gettext_lazy("Documents"), "cases:document_list", oversight=False),
    Tab("barriers", gettext_lazy("Barriers"), "cases:barrier_list"),
)


def require_case_reader(request: TenantRequest) -> None:
    """Case pages are for case managers and coordinators; every other role gets 403 before any
    case is looked up."""
    if not (request.access.has(Perm.CASE_WORK) or request.access.has(Perm.CASE_OVERSIGHT)):
        raise PermissionDenied


def load_case(request: TenantRequest, pk: int, **kwargs: Any) -> CaseAccess:
    """The case through the access layer (404 if not visible to this user)."""
    return case_access(request.access, pk, **kwargs)


def require_work(request: TenantRequest, access: CaseAccess) -> HttpResponse | None:
    """Case work needs the case manager (or substitute) and an open case. Coordinators get 403;
    on a closed case the case manager is sent back to the case with an explanation."""
    if access.oversight:
        raise PermissionDenied
    if not access.work:
        messages.error(request, read_only_message(access))
        return redirect("cases:detail", tenant=request.access.tenant.slug, pk=access.case.pk)
    return None


def require_case_manager(access: CaseAccess) -> None:
    """Identity and documents: case managers of the case only (own or substituted)."""
    if not access.identity:
        raise PermissionDenied


def read_only_message(access: CaseAccess) -> str:
    if access.case.is_restricted:
        return restricted_message()
    if access.case.status == "closure_requested":
        return _("The closure of this case awaits the coordinator's decision; it cannot be changed meanwhile.")
    return _("This case is closed and can no longer be changed. Reopen it first.")


def validation_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def render_case(
    request: TenantRequest, template: str, access: CaseAccess, tab: str, context: dict[str, Any] | None = None
) -> HttpResponse:
    slug = request.access.tenant.slug
    tabs = []
    for t in TABS:
        if access.oversight and not t.oversight:
            continue
        url = reverse(t.url_name, kwargs={"tenant": slug, "pk": access.case.pk})
        tabs.append({"label": str(t.label), "url": url, "current": t.key == tab})
    return render(
        request,
        template,
        {"case": access.case, "access": access, "case_tabs": tabs, "tab": tab, **(context or {})},
    )


def form_page(
    request: TenantRequest,
    access: CaseAccess,
    tab: str,
    form: Any,
    *,
    heading: str,
    submit_label: str,
    **extra: Any,
) -> HttpResponse:
    """A form inside a case (``cases/case_form.html``)."""
    context = {"form": form, "heading": heading, "submit_label": submit_label, **extra}
    return render_case(request, "cases/case_form.html", access, tab, context)
