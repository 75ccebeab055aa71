"""Every audit action Lotse writes, with the label the data-protection officer reads.
``audit_record`` refuses an action that is not listed here."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    # Sign-in and sessions (platform chain)
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.lockout": _("Account or address locked after failed attempts"),
    "auth.logout": _("Signed out"),
    "auth.totp_enrolled": _("Authenticator app set up"),
    "auth.totp_failed": _("Wrong authenticator code"),
    "auth.password_changed": _("Password changed"),
    "auth.session_expired": _("Session expired"),
    # Account administration
    "account.created": _("Account created"),
    "account.updated": _("Account details changed"),
    "account.password_reset": _("Password reset by an administrator"),
    "account.totp_reset": _("Authenticator reset by an administrator"),
    "account.deactivated": _("Account deactivated"),
    "account.reactivated": _("Account reactivated"),
    # Tenant structure
    "tenant.created": _("Tenant created"),
    "membership.created": _("Role assigned"),
    "membership.invited": _("Existing account invited"),
    "membership.accepted": _("Invitation accepted"),
    "membership.declined": _("Invitation declined"),
    "membership.updated": _("Role changed"),
    "membership.ended": _("Membership ended"),
    "membership.reactivated": _("Membership reactivated"),
    "provider.created": _("Provider created"),
    "provider.updated": _("Provider changed"),
    "location.created": _("Location created"),
    "location.updated": _("Location changed"),
    "municipality.created": _("Municipality created"),
    "municipality.updated": _("Municipality changed"),
    # The audit log itself
    "audit.verified": _("Audit log integrity checked"),
}


def label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def register(actions: dict[str, Promise]) -> None:
    """Later modules add their actions here at import time (from their AppConfig.ready)."""
    ACTIONS.update(actions)
