"""Sign-in (password, then authenticator code or its first-time setup), sign-out and password
change. Pages are server-rendered and work without JavaScript."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from lotse.access.decorators import authenticated, public
from lotse.access.http import LotseRequest
from lotse.accounts import services, totp
from lotse.accounts.forms import CodeForm, LoginForm, PasswordChangeForm
from lotse.accounts.models import User
from lotse.core.http import post_data

NEXT_SESSION_KEY = "lotse_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def _after_login(request: HttpRequest) -> HttpResponse:
    target = _safe_next(request, request.session.pop(NEXT_SESSION_KEY, None))
    return redirect(target or resolve_url("ui:home"))


def locked_response(request: HttpRequest) -> HttpResponse:
    context = {"lockout_minutes": settings.LOCKOUT_MINUTES}
    return render(request, "accounts/locked.html", context, status=429)


@public
@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("ui:home")
    expired = request.GET.get("expired")
    if request.method == "GET":
        nxt = _safe_next(request, request.GET.get("next"))
        if nxt:
            request.session[NEXT_SESSION_KEY] = nxt
    form = LoginForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            result = services.password_step(
                request,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except services.LockedOut:
            return locked_response(request)
        if not result.ok:
            form.add_error(None, _("Username or password is wrong."))
        elif result.next_step == services.NextStep.DONE:
            return _after_login(request)
        elif result.next_step == services.NextStep.ENROL:
            return redirect("accounts:totp_setup")
        else:
            return redirect("accounts:totp_verify")
    return render(request, "accounts/login.html", {"form": form, "expired": expired})


@public
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def totp_verify_view(request: HttpRequest) -> HttpResponse:
    user = services.preauth_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    form = CodeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            if services.second_factor_step(request, user=user, code=form.cleaned_data["code"]):
                return _after_login(request)
        except services.LockedOut:
            return locked_response(request)
        form.add_error("code", _("This code is wrong or was already used. Wait for the next one."))
    return render(request, "accounts/totp_verify.html", {"form": form})


@public
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def totp_setup_view(request: HttpRequest) -> HttpResponse:
    user: User | None = services.preauth_user(request)
    if user is None:
        messages.info(request, _("Please sign in again."))
        return redirect("accounts:login")
    if user.totp_device_confirmed():
        return redirect("accounts:totp_verify")
    device = services.enrolment_device(user)
    form = CodeForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            if services.enrol_step(request, user=user, code=form.cleaned_data["code"]):
                messages.success(request, _("Your authenticator app is set up."))
                return _after_login(request)
        except services.LockedOut:
            return locked_response(request)
        form.add_error("code", _("This code is wrong. Check the time on your phone and try again."))
    uri = totp.provisioning_uri(device)
    secret = totp.secret_of(device)
    context = {
        "form": form,
        "qr_svg": totp.qr_svg(uri),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
    }
    return render(request, "accounts/totp_setup.html", context)


@public
@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    services.logout_user(request)
    services.clear_preauth(request)
    messages.success(request, _("You are signed out."))
    return redirect("accounts:login")


@authenticated(allow_pending_password=True)
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def password_change_view(request: LotseRequest) -> HttpResponse:
    user = request.user
    form = PasswordChangeForm(user, post_data(request))
    if request.method == "POST":
        try:
            attempt = services.begin_old_password_check(request, user=user)
        except services.LockedOut:
            return locked_response(request)
        valid = form.is_valid()
        services.end_old_password_check(attempt, user=user, correct=not form.has_error("old_password"))
        if valid:
            services.password_change(request, user=user, new_password=form.cleaned_data["new_password1"])
            messages.success(request, _("Your password was changed. Other sessions were signed out."))
            return redirect("ui:home")
    return render(request, "accounts/password_change.html", {"form": form, "forced": user.must_change_password})
