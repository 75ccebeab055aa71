"""Strategic steering: the barrier register (coordinators), generative themes and the staircase
(coordinators keep them; committee members read figures of the themes of their bodies). Views
are thin: forms validate, services write, selectors read through the access layer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lotse.access.decorators import tenant_view
from lotse.access.http import TenantRequest
from lotse.access.permissions import Perm
from lotse.core.http import post_data
from lotse.core.versioning import StaleObjectError
from lotse.steering import selectors, services
from lotse.steering.forms import (
    BarrierAssignForm,
    BarrierSelectionForm,
    StaircaseSettingsForm,
    ThemeCreateForm,
    ThemeEditForm,
    ThemeMergeForm,
    ThemeMoveForm,
    ThemeSplitForm,
    barrier_register_filtered,
)
from lotse.steering.models import Theme, ThemeStatus
from lotse.transfer.links import export_url
from lotse.ui.charts import Chart, Series
from lotse.ui.conflict import submit
from lotse.ui.htmx import render_list

REGISTER_FILTERS = ("domain", "institution", "municipality", "provider", "date_from", "date_to", "theme", "page")
THEME_LIST_STATUSES = ("active", "resolved", "merged", "all")


# --- helpers --------------------------------------------------------------------------------


def _readable(exc: StaleObjectError) -> StaleObjectError:
    """Show a conflict's status and level as the editor knows them, not as codes."""
    statuses = dict(ThemeStatus.choices)

    def show(name: str, value: Any) -> Any:
        if name == "status":
            return statuses.get(value, value)
        return value

    exc.changed = {name: (show(name, mine), show(name, theirs)) for name, (mine, theirs) in exc.changed.items()}
    return exc


def _submit(request: TenantRequest, form: Any, action: Callable[[dict[str, Any]], object]) -> tuple[bool, Any]:
    """The shared :func:`lotse.ui.conflict.submit` with this app's conflict labels, as
    ``(saved, conflict rows)``."""
    done = submit(request, form, action, readable=_readable)
    return done.saved, done.conflict


def _form_page(request: TenantRequest, form: Any, **context: Any) -> HttpResponse:
    return render(request, "steering/form_page.html", {"form": form, **context})


def _detail(request: TenantRequest, theme: Theme) -> HttpResponse:
    return redirect("steering:theme_detail", tenant=request.access.tenant.slug, pk=theme.pk)


def _refuse_merged(request: TenantRequest, theme: Theme) -> HttpResponse | None:
    if theme.status == ThemeStatus.MERGED:
        messages.error(request, _("This theme was merged into another theme and can no longer be changed."))
        return _detail(request, theme)
    return None


def _errors_as_messages(request: TenantRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# --- barrier register -----------------------------------------------------------------------


def _register_url(request: TenantRequest, query: str = "") -> str:
    """The register with the filters the coordinator had (only known filter names are kept)."""
    url = reverse("steering:barrier_register", kwargs={"tenant": request.access.tenant.slug})
    given = QueryDict(query)
    kept = QueryDict(mutable=True)
    for name in REGISTER_FILTERS:
        if name in given:
            kept.setlist(name, given.getlist(name)[:1])
    return f"{url}?{kept.urlencode()}" if kept else url


@tenant_view(Perm.STEERING_MANAGE)
@require_GET
def barrier_register(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form, barriers = barrier_register_filtered(ctx, request.GET or None)
    page = Paginator(barriers, 50).get_page(request.GET.get("page"))
    # own ids: the filter above has a "theme" field too
    assign = BarrierAssignForm(
        themes=selectors.active_themes(ctx), initial={"back": request.GET.urlencode()}, auto_id="assign_%s"
    )
    context = {
        "form": form,
        "page": page,
        "assign": assign,
        "export_url": export_url(
            "transfer:export_barriers", ctx.tenant.slug, request.GET, [f for f in REGISTER_FILTERS if f != "page"]
        ),
    }
    return render_list(request, "steering/barrier_register.html", "steering/partials/barrier_results.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_POST
def barrier_assign(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    form = BarrierAssignForm(request.POST, themes=selectors.active_themes(ctx))
    back = _register_url(request, request.POST.get("back", ""))
    valid = form.is_valid()
    ids: list[int] = form.cleaned_data.get("barriers") or []
    if "barriers" not in form.errors and not ids:
        messages.error(request, _("Select at least one barrier. Nothing was assigned."))
        return redirect(back)
    if not valid:
        _errors_as_messages(request, form)
        return redirect(back)
    _found, complete = selectors.barriers_by_ids(ctx, ids)
    if not complete:
        messages.error(request, _("Some of the selected barriers are not in this register. Nothing was assigned."))
        return redirect(back)
    try:
        theme = services.barriers_assign(
            actor=request.user,
            tenant=ctx.tenant,
            barrier_ids=ids,
            theme=form.cleaned_data["theme"],
            title=form.cleaned_data["title"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(back)
    messages.success(
        request,
        ngettext(
            "%(count)s barrier assigned to the theme “%(title)s”.",
            "%(count)s barriers assigned to the theme “%(title)s”.",
            len(ids),
        )
        % {"count": len(ids), "title": theme.title},
    )
    return redirect(back)


# --- themes ---------------------------------------------------------------------------------


@tenant_view(Perm.THEME_VIEW)
@require_GET
def theme_list(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    status = request.GET.get("status", "active")
    if status not in THEME_LIST_STATUSES:
        status = "active"
    themes = selectors.themes_with_counts(ctx, status=status)
    statuses = [
        ("active", _("active")),
        ("resolved", _("resolved")),
        ("merged", _("merged")),
        ("all", _("all")),
    ]
    context = {
        "themes": themes,
        "status": status,
        "statuses": statuses,
        "can_manage": ctx.has(Perm.STEERING_MANAGE),
    }
    return render(request, "steering/theme_list.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def theme_create(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    staircase = selectors.staircase_for(ctx.tenant)
    form = ThemeCreateForm(post_data(request), staircase=staircase, bodies=selectors.responsible_bodies(ctx))
    created: list[Theme] = []

    def create(data: dict[str, Any]) -> None:
        created.append(services.theme_create(actor=request.user, tenant=ctx.tenant, **data))

    saved, _conflict = _submit(request, form, create)
    if saved:
        messages.success(request, _("The theme was created."))
        return _detail(request, created[0])
    cancel = reverse("steering:theme_list", kwargs={"tenant": ctx.tenant.slug})
    return _form_page(request, form, heading=_("New theme"), submit_label=_("Create theme"), cancel_url=cancel)


@tenant_view(Perm.THEME_VIEW)
@require_GET
def theme_detail(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    staircase = selectors.staircase_for(ctx.tenant)
    theme: Any = selectors.theme_with_counts(ctx, pk, staircase=staircase)
    manage = ctx.has(Perm.STEERING_MANAGE)
    trend = selectors.theme_trend(theme)
    chart = Chart(
        id="theme-trend",
        kind="bar",
        title=_("New barriers and affected cases per month (last 12 months)"),
        labels=trend.labels,
        series=[Series(_("New barriers"), list(trend.barriers)), Series(_("Cases"), list(trend.cases))],
    )
    merged_into = None
    if theme.merged_into_id:
        merged_into = selectors.theme_visible(ctx, theme.merged_into_id)
    context = {
        "theme": theme,
        "staircase": staircase,
        "steps": selectors.staircase_steps(theme, staircase),
        "history": selectors.theme_history(ctx, theme, staircase),
        "chart": chart,
        "escalate_to": staircase.level_name(staircase.escalate_below_level),
        "merged_into": merged_into,
        "can_manage": manage,
        # barrier rows only for coordinators: committee members get figures, never case data;
        # 50 per page (a theme of 1,000 barriers took a quarter second to render, bench/steering.py)
        "barriers": Paginator(selectors.theme_barriers(ctx, theme), 50).get_page(request.GET.get("page"))
        if manage
        else None,
        "active": theme.status == ThemeStatus.ACTIVE,
    }
    return render(request, "steering/theme_detail.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def theme_edit(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    theme = selectors.theme_get(ctx, pk)
    if refused := _refuse_merged(request, theme):
        return refused
    form = ThemeEditForm(
        post_data(request), initial=ThemeEditForm.initial_for(theme), bodies=selectors.responsible_bodies(ctx)
    )

    def save(data: dict[str, Any]) -> None:
        services.theme_update(
            theme, actor=request.user, expected_version=data.get("version") or 0, **form.theme_fields()
        )

    saved, conflict = _submit(request, form, save)
    if saved:
        messages.success(request, _("The changes were saved."))
        return _detail(request, theme)
    return _form_page(
        request,
        form,
        heading=_("Edit theme"),
        submit_label=_("Save"),
        cancel_url=reverse("steering:theme_detail", kwargs={"tenant": ctx.tenant.slug, "pk": theme.pk}),
        conflict=conflict,
        theme=theme,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def theme_move(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    theme = selectors.theme_get(ctx, pk)
    if refused := _refuse_merged(request, theme):
        return refused
    staircase = selectors.staircase_for(ctx.tenant)
    form = ThemeMoveForm(
        post_data(request),
        initial=ThemeMoveForm.initial_for(theme),
        theme=theme,
        staircase=staircase,
        bodies=selectors.responsible_bodies(ctx),
    )

    def move(data: dict[str, Any]) -> None:
        services.theme_move(
            theme,
            actor=request.user,
            expected_version=data.get("version") or 0,
            level=data["level"],
            reason=data["reason"],
            occurred_on=data["occurred_on"],
            **form.plan(),
        )

    saved, conflict = _submit(request, form, move)
    if saved:
        messages.success(
            request, _("The theme is now on level %(level)s.") % {"level": staircase.level_name(theme.level)}
        )
        return _detail(request, theme)
    return _form_page(
        request,
        form,
        heading=_("Move theme on the staircase"),
        intro=_("Currently on level %(number)s: %(name)s.")
        % {"number": theme.level, "name": staircase.level_name(theme.level)},
        submit_label=_("Move theme"),
        cancel_url=reverse("steering:theme_detail", kwargs={"tenant": ctx.tenant.slug, "pk": theme.pk}),
        conflict=conflict,
        theme=theme,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def theme_merge(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    theme = selectors.theme_get(ctx, pk)
    if refused := _refuse_merged(request, theme):
        return refused
    form = ThemeMergeForm(post_data(request), theme=theme, themes=selectors.active_themes(ctx))

    def merge(data: dict[str, Any]) -> None:
        services.theme_merge(theme, actor=request.user, other=data["other"])

    saved, _conflict = _submit(request, form, merge)
    if saved:
        messages.success(request, _("The themes were merged."))
        return _detail(request, theme)
    return _form_page(
        request,
        form,
        heading=_("Merge another theme into this one"),
        intro=_(
            "The barriers of the chosen theme move to “%(title)s”. The chosen theme is kept as "
            "“merged”, with its history and agenda items."
        )
        % {"title": theme.title},
        submit_label=_("Merge"),
        cancel_url=reverse("steering:theme_detail", kwargs={"tenant": ctx.tenant.slug, "pk": theme.pk}),
        theme=theme,
    )


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def theme_split(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    theme = selectors.theme_get(ctx, pk)
    if refused := _refuse_merged(request, theme):
        return refused
    form = ThemeSplitForm(post_data(request))
    created: list[Theme] = []

    def split(data: dict[str, Any]) -> None:
        created.append(
            services.theme_split(theme, actor=request.user, barrier_ids=data["barriers"], title=data["title"])
        )

    saved, _conflict = _submit(request, form, split)
    if saved:
        messages.success(
            request, _("The selected barriers now form the new theme “%(title)s”.") % {"title": created[0]}
        )
        return _detail(request, created[0])
    selected = set(form.cleaned_data.get("barriers") or []) if form.is_bound else set()
    context = {
        "form": form,
        "theme": theme,
        "barriers": list(selectors.theme_barriers(ctx, theme)),
        "selected": selected,
    }
    return render(request, "steering/theme_split.html", context)


@tenant_view(Perm.STEERING_MANAGE)
@require_POST
def theme_barriers_remove(request: TenantRequest, tenant: str, pk: int) -> HttpResponse:
    ctx = request.access
    theme = selectors.theme_get(ctx, pk)
    if refused := _refuse_merged(request, theme):
        return refused
    form = BarrierSelectionForm(request.POST)
    if not form.is_valid():
        _errors_as_messages(request, form)
        return _detail(request, theme)
    ids = form.cleaned_data["barriers"]
    if not ids:
        messages.error(request, _("Select at least one barrier. Nothing was removed."))
        return _detail(request, theme)
    try:
        count = services.barriers_remove(theme, actor=request.user, barrier_ids=ids)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return _detail(request, theme)
    messages.success(
        request,
        ngettext("%(count)s barrier removed from the theme.", "%(count)s barriers removed from the theme.", count)
        % {"count": count},
    )
    return _detail(request, theme)


# --- staircase settings -----------------------------------------------------------------------


@tenant_view(Perm.STEERING_MANAGE)
@require_http_methods(["GET", "POST"])
def staircase_settings(request: TenantRequest, tenant: str) -> HttpResponse:
    ctx = request.access
    staircase = services.staircase_settings_get(tenant=ctx.tenant)
    form = StaircaseSettingsForm(
        post_data(request), initial=StaircaseSettingsForm.initial_for(staircase), staircase=staircase
    )

    def save(data: dict[str, Any]) -> None:
        services.staircase_settings_update(
            staircase, actor=request.user, expected_version=data.get("version") or 0, **form.settings_fields()
        )

    saved, conflict = _submit(request, form, save)
    if saved:
        messages.success(request, _("The changes were saved."))
        return redirect("steering:staircase_settings", tenant=ctx.tenant.slug)
    return _form_page(
        request,
        form,
        heading=_("Staircase settings"),
        intro=_(
            "The names of the five levels in this district, and the rule that marks a theme for "
            "escalation: from N affected cases or M providers, while it is below a level."
        ),
        submit_label=_("Save"),
        cancel_url=reverse("steering:theme_list", kwargs={"tenant": ctx.tenant.slug}),
        conflict=conflict,
    )
