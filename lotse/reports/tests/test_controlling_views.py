"""The report pages: index, controlling preview and download (access, period, formats)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lotse.audit.models import AuditEvent
from lotse.reports.tests.conftest import url
from lotse.tenants.models import Role
from lotse.tenants.tests.factories import ProviderFactory, TenantFactory

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
PERIOD = {"date_from": f"{YEAR}-01-01", "date_to": f"{YEAR}-12-31"}


def test_index_links_the_reports_of_the_role(world, as_role):
    page = as_role(Role.COORDINATOR).get(url("reports:index", world))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("reports:controlling", world) in html
    assert url("reports:status", world) in html

    page = as_role(Role.STATE_ANALYST).get(url("reports:index", world, "state"))
    assert page.status_code == 200
    html = page.content.decode()
    assert url("reports:controlling", world, "state") in html
    assert "/status/" not in html


@pytest.mark.parametrize(
    "role", [Role.FUNDING_CLERK, Role.CASE_MANAGER, Role.PROVIDER_LEAD, Role.TENANT_ADMIN, Role.COMMITTEE_MEMBER]
)
def test_other_roles_are_refused(world, as_role, role):
    client = as_role(role)
    for name in ("reports:index", "reports:controlling", "reports:controlling_export"):
        assert client.get(url(name, world), {"format": "json", **PERIOD}).status_code == 403


def test_coordinator_sees_the_own_district_with_suppression(world, as_role):
    page = as_role(Role.COORDINATOR).get(url("reports:controlling", world), PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cases – Kreis Wesel" in html
    assert '<th scope="col"' in html and '<th scope="row"' in html
    assert "&lt; 5" in html
    assert "suppressed to protect a small value" in html
    assert "Kreis Coesfeld" not in html
    export = url("reports:controlling_export", world)
    for code in ("xlsx", "csv", "json"):
        assert f"{export}?format={code}&amp;date_from={YEAR}-01-01&amp;date_to={YEAR}-12-31" in html


def test_coordinator_cannot_choose_another_district(world, as_role):
    client = as_role(Role.COORDINATOR)
    params = {**PERIOD, "tenant": world.coesfeld.tenant.pk}
    html = client.get(url("reports:controlling", world), params).content.decode()
    assert "Kreis Coesfeld" not in html and "Cases – Kreis Wesel" in html
    response = client.get(url("reports:controlling_export", world), {**params, "format": "json"})
    document = json.loads(response.content)
    assert [s["title"] for s in document["sections"]] == ["Kreis Wesel"]
    # and the Coesfeld pages are not theirs at all
    assert client.get(url("reports:controlling", world, "coesfeld"), PERIOD).status_code == 403


def test_state_analyst_sees_every_district_and_may_choose_one(world, as_role):
    client = as_role(Role.STATE_ANALYST)
    html = client.get(url("reports:controlling", world, "state"), PERIOD).content.decode()
    assert "Cases – Kreis Coesfeld" in html and "Cases – Kreis Wesel" in html
    assert 'name="tenant"' in html
    html = client.get(url("reports:controlling", world, "state"), {**PERIOD, "tenant": world.coesfeld.tenant.pk})
    assert "Cases – Kreis Coesfeld" in html.content.decode() and "Cases – Kreis Wesel" not in html.content.decode()
    # the state tenant itself is no district to choose
    page = client.get(url("reports:controlling", world, "state"), {**PERIOD, "tenant": world.state.pk})
    assert page.status_code == 200
    assert "Select a valid choice" in page.content.decode()
    assert "Cases –" not in page.content.decode()
    # and the analyst has no district membership
    assert client.get(url("reports:controlling", world)).status_code == 403


def test_the_default_period_is_the_previous_calendar_year(world, as_role):
    html = as_role(Role.COORDINATOR).get(url("reports:controlling", world)).content.decode()
    assert f'value="{YEAR - 1}-01-01"' in html and f'value="{YEAR - 1}-12-31"' in html


def test_german_dates_are_accepted(world, as_role):
    response = as_role(Role.COORDINATOR).get(
        url("reports:controlling_export", world), {"format": "json", "date_from": "01.02.2025", "date_to": "30.06.2025"}
    )
    assert response.status_code == 200
    assert json.loads(response.content)["period"] == {"start": "2025-02-01", "end": "2025-06-30"}


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2025-12-31", "date_to": "2025-01-01"}, "The end date lies before the start date."),
        ({"date_from": "2019-01-01", "date_to": "2025-06-30"}, "Choose a period of at most five years."),
        ({"date_from": "31.02.2025", "date_to": "2025-06-30"}, "Enter a valid date."),
        ({"date_from": "1800-01-01", "date_to": "1800-06-30"}, "Enter a date between 2000 and 2999."),
    ],
)
def test_a_bad_period_gets_a_message(world, as_role, params, message):
    client = as_role(Role.COORDINATOR)
    page = client.get(url("reports:controlling", world), params)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert "Cases – Kreis Wesel" not in page.content.decode()
    response = client.get(url("reports:controlling_export", world), {"format": "csv", **params})
    assert response.status_code == 400
    html = response.content.decode()
    assert "The period is not valid: correct it and download again." in html and message in html
    assert not AuditEvent.objects.filter(action="report.controlling_exported").exists()


@pytest.mark.parametrize("code", ["", "pdf", "XLSX", "../etc"])
def test_a_bad_format_answers_400(world, as_role, code):
    response = as_role(Role.COORDINATOR).get(url("reports:controlling_export", world), {"format": code, **PERIOD})
    assert response.status_code == 400
    assert "Unknown download format. Choose XLSX, CSV or JSON." in response.content.decode()
    assert not AuditEvent.objects.filter(action="report.controlling_exported").exists()


@pytest.mark.parametrize(
    ("code", "content_type", "magic"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK"),
        ("csv", "text/csv; charset=utf-8", "\ufeffZeitraum von;".encode()),
        ("json", "application/json", b"{"),
    ],
)
def test_downloads_are_audited(world, as_role, code, content_type, magic):
    response = as_role(Role.STATE_ANALYST).get(
        url("reports:controlling_export", world, "state"), {"format": code, **PERIOD}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    filename = f"Landescontrolling-{YEAR}-01-01-{YEAR}-12-31.{code}"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    event = AuditEvent.objects.get(action="report.controlling_exported")
    assert event.tenant_id == world.state.pk and event.actor_id == world.analyst.pk
    assert event.details == {"format": code, "period": f"{YEAR}-01-01:{YEAR}-12-31"}


def test_the_page_needs_the_same_queries_for_more_districts(world, as_role):
    client = as_role(Role.STATE_ANALYST)
    page = url("reports:controlling", world, "state")
    export = url("reports:controlling_export", world, "state")
    client.get(page, PERIOD)  # warm up (session, caches)
    with CaptureQueriesContext(connection) as two:
        assert client.get(page, PERIOD).status_code == 200
    with CaptureQueriesContext(connection) as two_export:
        assert client.get(export, {"format": "xlsx", **PERIOD}).status_code == 200
    tenant = TenantFactory(name="Kreis Borken", slug="kreis-borken")
    ProviderFactory(tenant=tenant, name="Borken Träger A")
    ProviderFactory(tenant=tenant, name="Borken Träger B")
    with CaptureQueriesContext(connection) as three:
        response = client.get(page, PERIOD)
    assert "Cases – Kreis Borken" in response.content.decode()
    with CaptureQueriesContext(connection) as three_export:
        assert client.get(export, {"format": "xlsx", **PERIOD}).status_code == 200
    assert len(three.captured_queries) == len(two.captured_queries)
    assert len(three_export.captured_queries) == len(two_export.captured_queries)
    assert len(two.captured_queries) <= 25


def test_the_download_holds_the_figures_of_the_period(world, as_role):
    """The world's one contact (today, provider A): A 1 and the total 1 are "< 5", B 0."""
    today = timezone.localdate()
    params = {"date_from": (today - datetime.timedelta(days=60)).isoformat(), "date_to": today.isoformat()}
    response = as_role(Role.COORDINATOR).get(url("reports:controlling_export", world), {"format": "json", **params})
    document = json.loads(response.content)
    contacts = next(t for t in document["sections"][0]["tables"] if t["group"] == "contacts")
    assert [row["cells"] for row in contacts["rows"]] == [["< 5"], [0], ["< 5"]]
