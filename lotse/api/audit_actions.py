"""Audit actions of the REST API: tokens created and revoked, reports read through the API."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "api_token.created": _("API token created"),
    "api_token.revoked": _("API token revoked"),
}
