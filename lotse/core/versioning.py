"""Optimistic concurrency: every editable record carries a version; a save with a stale version
is refused and the caller learns what the other person changed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F
from django.utils import timezone

M = TypeVar("M", bound="VersionedModel")


class VersionedModel(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True


class StaleObjectError(Exception):
    """Raised when someone else saved the record after the form was loaded."""

    def __init__(self, current: VersionedModel, changed: dict[str, tuple[Any, Any]]):
        super().__init__("The record was changed by someone else.")
        self.current = current
        # field name -> (value the editor submitted, value now stored)
        self.changed = changed


def save_versioned(instance: M, *, expected_version: int, changes: Mapping[str, Any], actor: Any) -> M:
    """Apply ``changes`` only if nobody saved since ``expected_version``.

    Runs one conditional UPDATE (``WHERE version = expected``), so two concurrent saves can
    never both succeed. Returns the refreshed instance or raises :class:`StaleObjectError`.
    """
    model = type(instance)
    now = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=now, updated_by=actor
    )
    if updated != 1:
        current = model._default_manager.get(pk=instance.pk)
        conflicts = {
            name: (value, getattr(current, name)) for name, value in changes.items() if getattr(current, name) != value
        }
        raise StaleObjectError(current, conflicts)
    instance.refresh_from_db()
    return instance
