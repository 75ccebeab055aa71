from __future__ import annotations

from typing import Any

from django.urls import reverse


def url(name: str, world: Any, **kwargs: Any) -> str:
    """A URL of Kreis Wesel, the tenant of the ``admin`` fixture."""
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug, **kwargs})
