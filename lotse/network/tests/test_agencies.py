"""Partner directory: case managers and coordinators look agencies up, only coordinators keep
the directory; names are unique per tenant and stale edits are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from lotse.audit.models import AuditEvent
from lotse.network import services
from lotse.network.models import Agency
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db


def url(name: str, world: Any, **kwargs: Any) -> str:
    return reverse(name, kwargs={"tenant": world.wesel.tenant.slug, **kwargs})


@pytest.fixture
def as_role(world, signed_in):  # type: ignore[no-untyped-def]
    """A signed-in Kreis Wesel client of the role, with English pages (msgids)."""

    def make(role: str) -> Client:
        client = signed_in(world.user(role))
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


def agency_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Migrationsberatung Caritas Wesel",
        "kind": "mbe",
        "contact_person": "Frau Beispiel",
        "phone": "0281 123456",
        "email": "mbe@example.org",
        "address": "Marktplatz 1, 46483 Wesel",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_an_agency(world, as_role):
    response = as_role(Role.COORDINATOR).post(url("network:agency_create", world), agency_data())
    assert response.status_code == 302 and response["Location"] == url("network:agency_list", world)
    agency = Agency.objects.get(name="Migrationsberatung Caritas Wesel")
    assert agency.tenant == world.wesel.tenant and agency.kind == "mbe" and agency.is_active
    assert agency.updated_by == world.user(Role.COORDINATOR)
    event = AuditEvent.objects.get(action="agency.created", object_id=str(agency.pk))
    assert event.tenant_id == world.wesel.tenant.pk


def test_coordinator_edits_an_agency(world, as_role):
    agency = world.wesel.agency
    data = agency_data(name="Jobcenter Kreis Wesel, Standort Moers", kind="jobcenter", version=agency.version)
    response = as_role(Role.COORDINATOR).post(url("network:agency_edit", world, pk=agency.pk), data)
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.name == "Jobcenter Kreis Wesel, Standort Moers" and agency.version == 2
    assert AuditEvent.objects.filter(action="agency.updated", object_id=str(agency.pk)).exists()


def test_case_manager_reads_but_cannot_change(world, as_role):
    client = as_role(Role.CASE_MANAGER)
    response = client.get(url("network:agency_list", world))
    assert response.status_code == 200 and world.wesel.agency.name in response.content.decode()
    assert b"New agency" not in response.content  # no create button, no edit links
    assert url("network:agency_edit", world, pk=world.wesel.agency.pk).encode() not in response.content
    assert client.get(url("network:agency_create", world)).status_code == 403
    assert client.post(url("network:agency_create", world), agency_data()).status_code == 403
    edit = url("network:agency_edit", world, pk=world.wesel.agency.pk)
    assert client.get(edit).status_code == 403
    assert client.post(edit, agency_data(version=1)).status_code == 403
    assert not Agency.objects.filter(name="Migrationsberatung Caritas Wesel").exists()
    world.wesel.agency.refresh_from_db()
    assert world.wesel.agency.version == 1


@pytest.mark.parametrize("role", [Role.TENANT_ADMIN, Role.PROVIDER_LEAD, Role.DATA_PROTECTION_OFFICER])
def test_other_roles_do_not_see_the_directory(world, as_role, role):
    assert as_role(role).get(url("network:agency_list", world)).status_code == 403


def test_duplicate_name_is_a_form_error(world, as_role):
    client = as_role(Role.COORDINATOR)
    response = client.post(url("network:agency_create", world), agency_data(name=world.wesel.agency.name.upper()))
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert "already in the directory" in str(response.context["form"].errors["name"])
    # on edit, another agency's name is taken as well
    other = services.agency_create(
        actor=world.user(Role.COORDINATOR), tenant=world.wesel.tenant, name="MBE", kind="mbe"
    )
    data = agency_data(name=f"  {world.wesel.agency.name} ", version=other.version)
    response = client.post(url("network:agency_edit", world, pk=other.pk), data)
    assert response.status_code == 200 and "name" in response.context["form"].errors
    # the same name in another tenant is fine
    response = client.post(url("network:agency_create", world), agency_data(name=world.coesfeld.agency.name))
    assert response.status_code == 302


def test_service_refuses_duplicate_names_too(world):
    actor = world.user(Role.COORDINATOR)
    with pytest.raises(ValidationError) as error:
        services.agency_create(actor=actor, tenant=world.wesel.tenant, name=world.wesel.agency.name, kind="other")
    assert "name" in error.value.message_dict
    other = services.agency_create(actor=actor, tenant=world.wesel.tenant, name="JMD Wesel", kind="jmd")
    with pytest.raises(ValidationError):
        services.agency_update(other, actor=actor, expected_version=1, name=world.wesel.agency.name.lower())
    # keeping its own name is no conflict
    services.agency_update(other, actor=actor, expected_version=1, name="JMD Wesel", phone="0281 1")
    assert other.version == 2 and other.phone == "0281 1"


def test_stale_agency_edit_is_refused(world, as_role):
    agency = world.wesel.agency
    edit = url("network:agency_edit", world, pk=agency.pk)
    first, second = as_role(Role.COORDINATOR), as_role(Role.COORDINATOR)
    loaded = second.get(edit).context["form"]["version"].value()
    assert first.post(edit, agency_data(name="Jobcenter A", kind="jobcenter", version=loaded)).status_code == 302
    response = second.post(edit, agency_data(name="Jobcenter B", kind="jobcenter", version=loaded))
    assert response.status_code == 200 and response.context["conflict"]
    row = next(r for r in response.context["conflict"] if r["theirs"] == "Jobcenter A")
    assert row["mine"] == "Jobcenter B"
    assert "saved this record while you were editing" in response.content.decode()
    agency.refresh_from_db()
    assert agency.name == "Jobcenter A" and agency.version == 2
    # the form now carries the new version: saving again is a conscious decision and works
    assert response.context["form"].data["version"] == "2"


def test_other_tenants_agency_is_not_found(world, as_role):
    foreign = world.coesfeld.agency
    client = as_role(Role.COORDINATOR)
    assert client.get(url("network:agency_edit", world, pk=foreign.pk)).status_code == 404
    assert client.post(url("network:agency_edit", world, pk=foreign.pk), agency_data(version=1)).status_code == 404
    response = client.get(url("network:agency_list", world), {"status": "all"})
    assert foreign.name not in response.content.decode()


def names(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [agency.name for agency in response.context["page"]]


def test_filter_by_kind_name_and_status(world, as_role):
    actor = world.user(Role.COORDINATOR)
    tenant = world.wesel.tenant
    services.agency_create(actor=actor, tenant=tenant, name="Ausländerbehörde Kreis Wesel", kind="immigration_office")
    services.agency_create(actor=actor, tenant=tenant, name="JMD Dinslaken", kind="jmd", contact_person="Herr Kurz")
    services.agency_create(actor=actor, tenant=tenant, name="Alte Beratungsstelle", kind="counselling", is_active=False)
    client = as_role(Role.CASE_MANAGER)
    everything = client.get(url("network:agency_list", world))
    assert names(everything) == ["Ausländerbehörde Kreis Wesel", "JMD Dinslaken", world.wesel.agency.name]
    assert names(client.get(url("network:agency_list", world), {"kind": "jmd"})) == ["JMD Dinslaken"]
    assert names(client.get(url("network:agency_list", world), {"q": "kurz"})) == ["JMD Dinslaken"]
    assert names(client.get(url("network:agency_list", world), {"q": "wesel"})) == [
        "Ausländerbehörde Kreis Wesel",
        world.wesel.agency.name,
    ]
    assert names(client.get(url("network:agency_list", world), {"status": "inactive"})) == ["Alte Beratungsstelle"]
    assert len(names(client.get(url("network:agency_list", world), {"status": "all"}))) == 4
    # htmx asks for the results part only
    partial = client.get(url("network:agency_list", world), {"kind": "jmd"}, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and b"<html" not in partial.content and b"JMD Dinslaken" in partial.content


def test_navigation_entry_for_case_managers_and_coordinators(world, as_role):
    link = url("network:agency_list", world).encode()
    dashboard = url("ui:dashboard", world)
    assert link in as_role(Role.CASE_MANAGER).get(dashboard).content
    assert link in as_role(Role.COORDINATOR).get(dashboard).content
    assert link not in as_role(Role.TENANT_ADMIN).get(dashboard).content
