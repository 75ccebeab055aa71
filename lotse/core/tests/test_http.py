"""Security headers, caching, language default, error pages, request log without personal data."""

from __future__ import annotations

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

from lotse.core.logging import JsonFormatter, scrub

pytestmark = pytest.mark.django_db


def test_security_headers_on_pages(client):
    response = client.get(reverse("accounts:login"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "no-store"
    assert "camera=()" in response["Permissions-Policy"]


def test_pages_contain_no_inline_script_or_style(client):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "<script>" not in body and "style=" not in body and "<style" not in body
    assert 'src="/static/' in body


def test_german_is_the_default_whatever_the_browser_says(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in response.content.decode()


def test_language_switch_to_english_and_back():
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()
    client.post(reverse("set_language"), {"language": "de", "next": "/accounts/login/"})
    assert '<html lang="de">' in client.get(reverse("accounts:login")).content.decode()


def test_language_switch_refuses_foreign_redirects():
    response = Client().post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_404_page_in_the_same_look(signed_in, world):
    client = signed_in(world.user("tenant_admin"))
    response = client.get("/kreis-wesel/staff/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "kern-heading-large" in body and "lotse-header" in body


def test_403_page_in_the_same_look(signed_in, world):
    response = signed_in(world.user("case_manager")).get("/kreis-wesel/staff/")
    assert response.status_code == 403
    assert "kern-heading-large" in response.content.decode()


def test_500_page_renders_without_context():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Fehler" in html and "kern.min.css" in html


def test_csrf_failure_page_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "kern-heading-large" in response.content.decode()


def test_request_log_line_has_no_query_string_or_form_data(client, caplog):
    caplog.set_level(logging.INFO, logger="lotse.request")
    client.post(reverse("accounts:login") + "?next=/Ay%C5%9Fe", {"username": "ayse.yilmaz", "password": "Geheim-123"})
    lines = [JsonFormatter().format(r) for r in caplog.records if r.name == "lotse.request"]
    assert lines
    for line in lines:
        payload = json.loads(line)
        assert payload["route"] == "accounts:login"
        assert "ayse" not in line.lower() and "Geheim" not in line and "next" not in line


def test_formatter_redacts_values_in_database_errors():
    client_name = "".join(["Mül", "ler"])  # not literally in the source line of the traceback
    try:
        raise ValueError(f"duplicate key value violates unique constraint DETAIL: Key (name)=({client_name})")
    except ValueError:
        import sys

        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    line = JsonFormatter().format(record)
    assert "Müller" not in line
    assert "test_http.py" in line  # frames stay useful
    assert scrub("name 'Ayşe' not found") == "name '[redacted]' not found"


def test_staff_ui_speaks_german_by_default(signed_in, world):
    login = Client().get(reverse("accounts:login")).content.decode()
    assert "Anmelden" in login and "Benutzername" in login and "Zum Inhalt springen" in login
    body = signed_in(world.user("tenant_admin")).get("/kreis-wesel/").content.decode()
    assert "Übersicht" in body and "Mitarbeitende" in body and "Abmelden" in body


def test_text_log_format_is_redacted_too():
    """Found in review: LOTSE_LOG_FORMAT=text bypassed all redaction."""
    import sys

    from lotse.core.logging import TextFormatter

    value = "".join(["Mül", "ler"])
    try:
        raise ValueError(f"DETAIL: Key (name)=({value}) already exists")
    except ValueError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "boom %s", (f"'{value}'",), sys.exc_info()
        )
    line = TextFormatter("%(levelname)s %(name)s %(message)s").format(record)
    assert "Müller" not in line and "test_http.py" in line
    long_value = "x" * 500
    assert long_value not in scrub(f"value '{long_value}' rejected")


def test_htmx_history_restore_gets_the_whole_page(signed_in, world):
    """Found in review: the Back button after filtering replaced the page with the list part."""
    client = signed_in(world.user("tenant_admin"))
    part = client.get("/kreis-wesel/staff/", HTTP_HX_REQUEST="true")
    restore = client.get("/kreis-wesel/staff/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" not in part.content.decode()
    assert "<html" in restore.content.decode()
    assert "HX-Request" in part["Vary"]


def test_audit_filter_rejects_dates_outside_any_sensible_range(signed_in, world):
    client = signed_in(world.user("data_protection_officer"))
    for query in ({"date_to": "9999-12-31"}, {"date_from": "0001-01-01"}):
        response = client.get("/kreis-wesel/audit/", query)
        assert response.status_code == 200 and response.context["form"].errors
