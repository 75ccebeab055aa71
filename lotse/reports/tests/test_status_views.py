"""The committee status report pages: coordinators only, the preview, the PDF and DOCX downloads
(attachments, audited), bad periods (a message, status 400 for downloads, never a 500), and a
number of queries that does not grow with the data."""

from __future__ import annotations

import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotse.audit.models import AuditEvent
from lotse.reports.status_docx import CONTENT_TYPE as DOCX
from lotse.reports.tests import status_data
from lotse.reports.tests.conftest import url
from lotse.tenants.models import Role

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": "2024-01-01", "date_to": "2024-12-31"}
NAMES = ("reports:status", "reports:status_pdf", "reports:status_docx")


def exports(world) -> list[AuditEvent]:  # type: ignore[no-untyped-def]
    return list(AuditEvent.objects.filter(action="report.status_exported", tenant_id=world.wesel.tenant.pk))


def test_coordinator_sees_the_preview(world, as_role):
    status_data.build(world)
    response = as_role(Role.COORDINATOR).get(url("reports:status", world), PERIOD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Status report Kommunales Integrationsmanagement" in page
    assert "Kreis Wesel – reporting period 01.01.2024 to 31.12.2024" in page
    assert "1. Staff" in page and "5. Charts" in page
    assert "Ausländerbehörde Kreis Wesel" in page and "Anerkennung ausländischer Abschlüsse" in page
    for chart_id in ("status-cases-month", "status-themes-level", "status-fte-type"):
        assert f'id="{chart_id}-canvas"' in page
    assert "date_from=2024-01-01&amp;date_to=2024-12-31" in page  # the downloads keep the period
    for secret in status_data.SECRETS:
        assert secret not in page
    assert not exports(world)  # the preview is not an export


def test_the_default_period_is_the_previous_year(world, as_role):
    response = as_role(Role.COORDINATOR).get(url("reports:status", world))
    assert response.status_code == 200
    assert response.context["form"].is_valid()
    period = response.context["form"].period()
    assert (period.start.month, period.start.day, period.end.month, period.end.day) == (1, 1, 12, 31)


def test_pdf_download_is_an_audited_attachment(world, as_role):
    status_data.build(world)
    response = as_role(Role.COORDINATOR).get(url("reports:status_pdf", world), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="sachstandsbericht-2024-01-01-2024-12-31.pdf"'
    assert response.content.startswith(b"%PDF")
    [event] = exports(world)
    assert event.details == {"format": "pdf", "period": "2024-01-01:2024-12-31"}
    assert event.actor_id == world.wesel.users[Role.COORDINATOR].pk


def test_docx_download_is_an_audited_attachment(world, as_role):
    status_data.build(world)
    response = as_role(Role.COORDINATOR).get(url("reports:status_docx", world), PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="sachstandsbericht-2024-01-01-2024-12-31.docx"'
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.inline_shapes) >= 3
    [event] = exports(world)
    assert event.details == {"format": "docx", "period": "2024-01-01:2024-12-31"}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("role", [Role.CASE_MANAGER, Role.FUNDING_CLERK, Role.COMMITTEE_MEMBER, Role.PROVIDER_LEAD])
def test_other_district_roles_are_refused(world, as_role, name, role):
    response = as_role(role).get(url(name, world), PERIOD)
    assert response.status_code in (403, 404)
    assert not exports(world)


@pytest.mark.parametrize("name", NAMES)
def test_state_analyst_is_refused(world, as_role, name):
    client = as_role(Role.STATE_ANALYST)
    assert client.get(url(name, world, tenant="state"), PERIOD).status_code in (403, 404)
    assert client.get(url(name, world), PERIOD).status_code in (403, 404)
    assert not exports(world)


@pytest.mark.parametrize("name", NAMES)
def test_coordinator_of_another_district_is_refused(world, signed_in, name):
    client = signed_in(world.coesfeld.users[Role.COORDINATOR])
    assert client.get(url(name, world), PERIOD).status_code in (403, 404)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2024-12-31", "date_to": "2024-01-01"}, "The end date lies before the start date."),
        ({"date_from": "kein Datum", "date_to": "2024-01-01"}, "Enter a valid date."),
        ({"date_from": "1999-01-01", "date_to": "2024-01-01"}, "Enter a date between 2000 and 2999."),
        ({"date_from": "2010-01-01", "date_to": "2024-01-01"}, "Choose a period of at most five years."),
        ({"date_from": "99999999999999999999", "date_to": "2024-01-01"}, "Enter a valid date."),
    ],
)
def test_a_bad_period_gets_a_message_never_a_500(world, as_role, query, message):
    client = as_role(Role.COORDINATOR)
    page = client.get(url("reports:status", world), query)
    assert page.status_code == 200
    assert message in page.content.decode()
    assert page.context["report"] is None
    for name in ("reports:status_pdf", "reports:status_docx"):
        response = client.get(url(name, world), query)
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")
        assert message in response.content.decode()
    assert not exports(world)


def _queries(client, name: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url(name, client.world), PERIOD)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", NAMES)
def test_the_number_of_queries_does_not_grow_with_the_data(world, as_role, name):
    status_data.build(world)
    client = as_role(Role.COORDINATOR)
    client.world = world
    client.get(url("reports:status", world), PERIOD)  # warm the session
    status_data.extra_cases(world, 1)
    few = _queries(client, name)
    status_data.extra_cases(world, 10)
    many = _queries(client, name)
    assert few == many
    assert few <= 40
