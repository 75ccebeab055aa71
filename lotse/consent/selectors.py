"""Is a consent or release in force? Used by case services before they process or pass on data."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from lotse.consent.models import Consent, Release


def consent_valid(case, purpose: str) -> bool:  # type: ignore[no-untyped-def]
    return Consent.objects.filter(case=case, purpose=purpose, revoked_at__isnull=True).exists()


def valid_releases(case, *, day: datetime.date | None = None) -> QuerySet[Release]:  # type: ignore[no-untyped-def]
    day = day or timezone.localdate()
    return Release.objects.filter(case=case, revoked_at__isnull=True, given_on__lte=day).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=day)
    )


def release_for(case, *, agency_id: int, topic: str, day: datetime.date | None = None) -> Release | None:  # type: ignore[no-untyped-def]
    """The release that allows passing the identity to ``agency`` on ``topic`` today, if any."""
    for release in valid_releases(case, day=day).filter(agency_id=agency_id).order_by("-given_on", "-pk"):
        if topic in release.topics:
            return release
    return None
