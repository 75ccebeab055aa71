"""Audit actions of the privacy operations. Details carry ids and codes only, never content."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "privacy.request_opened": _("Privacy request opened for a case"),
    "privacy.access_exported": _("Access request export downloaded (Art. 15/20)"),
    "privacy.rectified": _("Case data rectified (Art. 16)"),
    "privacy.history_viewed": _("Rectification history with old values viewed"),
    "privacy.restricted": _("Processing restricted (Art. 18)"),
    "privacy.restriction_lifted": _("Restriction of processing lifted"),
    "privacy.erased": _("Personal data of a case erased (Art. 17)"),
    "privacy.retention_updated": _("Retention rule changed"),
    "privacy.retention_anonymised": _("Case anonymised after the retention period"),
    "privacy.retention_run": _("Retention run finished"),
}
