"""Providers, locations and municipalities: managed by tenant admins in the UI."""

from __future__ import annotations

import pytest

from lotse.audit.models import AuditEvent
from lotse.tenants.models import Provider, Role
from lotse.tenants.tests.helpers import url

pytestmark = pytest.mark.django_db


def test_create_provider(world, admin):
    response = admin.post(
        url("tenants:provider_create", world),
        {
            "name": "Diakonie im Kirchenkreis Wesel",
            "kind": "welfare",
            "is_contracted": "on",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    provider = Provider.objects.get(name="Diakonie im Kirchenkreis Wesel")
    assert provider.tenant == world.wesel.tenant and provider.updated_by == world.user(Role.TENANT_ADMIN)
    assert AuditEvent.objects.filter(action="provider.created", object_id=str(provider.pk)).exists()


def test_duplicate_name_is_a_form_error_not_a_crash(world, admin):
    response = admin.post(
        url("tenants:provider_create", world), {"name": world.wesel.provider.name.upper(), "kind": "welfare"}
    )
    assert response.status_code == 200 and "name" in response.context["form"].errors
    # the same name in another tenant is fine
    response = admin.post(
        url("tenants:provider_create", world), {"name": world.coesfeld.provider.name, "kind": "welfare"}
    )
    assert response.status_code == 302


def test_foreign_municipality_cannot_be_linked(world, admin):
    response = admin.post(
        url("tenants:location_create", world),
        {
            "name": "Neue Stelle",
            "provider": world.wesel.provider.pk,
            "municipality": world.coesfeld.municipality.pk,
        },
    )
    assert response.status_code == 200 and "municipality" in response.context["form"].errors


def test_stale_provider_edit_is_refused(world, admin):
    provider = world.wesel.provider
    data = {"name": "Neu A", "kind": provider.kind, "is_active": "on", "version": provider.version}
    assert admin.post(url("tenants:provider_edit", world, pk=provider.pk), data).status_code == 302
    stale = {**data, "name": "Neu B"}
    response = admin.post(url("tenants:provider_edit", world, pk=provider.pk), stale)
    assert response.status_code == 200 and response.context["conflict"]
    provider.refresh_from_db()
    assert provider.name == "Neu A"


def test_invalid_postal_code_and_ags(world, admin):
    response = admin.post(
        url("tenants:location_create", world),
        {"name": "X", "provider": world.wesel.provider.pk, "postal_code": "4653"},
    )
    assert "postal_code" in response.context["form"].errors
    response = admin.post(url("tenants:municipality_create", world), {"name": "Y", "ags": "0517"})
    assert "ags" in response.context["form"].errors


def test_coordinator_reads_but_cannot_change(world, signed_in):
    coordinator = signed_in(world.user(Role.COORDINATOR))
    assert coordinator.get(url("tenants:provider_list", world)).status_code == 200
    assert coordinator.post(url("tenants:provider_create", world), {"name": "X", "kind": "other"}).status_code == 403
    assert not Provider.objects.filter(name="X").exists()
