"""The API pages in the browser: a case manager creates a token with the keyboard-usable form,
sees the secret once, uses it against the API, revokes it; the API reference page renders from
the OpenAPI schema. Every page passes axe-core with zero violations and no error or Content
Security Policy violation reaches the console."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from lotse.api.models import ApiToken
from lotse.tenants.models import Role
from lotse.ui.tests.browser.helpers import confirmed_device, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_token_pages_and_api_reference(page: Page, live_world: Any, check_axe: Any, console: Any) -> None:
    user = live_world.user(Role.CASE_MANAGER)
    sign_in(page, user, confirmed_device(user))
    slug = live_world.wesel.tenant.slug

    page.goto(reverse("api_tokens:list", kwargs={"tenant": slug}))
    check_axe(page)
    page.goto(reverse("api_tokens:create", kwargs={"tenant": slug}))
    check_axe(page)
    page.fill("#id_name", "Statistik-Export")
    page.fill("#id_days", "30")
    page.locator("main form.lotse-form button[type=submit]").first.click()
    secret = page.input_value("#api-token-secret")
    check_axe(page)
    token = ApiToken.objects.get(user=user, name="Statistik-Export")
    assert secret.startswith(f"lotse_{token.prefix}_")

    answer = page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"})
    assert answer.status == 200 and answer.json()["tenant"] == slug
    assert answer.headers["cache-control"] == "no-store"

    page.goto(reverse("api_tokens:list", kwargs={"tenant": slug}))
    assert secret not in page.content()
    page.goto(reverse("api_tokens:revoke", kwargs={"tenant": slug, "pk": token.pk}))
    check_axe(page)
    page.locator("main form.lotse-form button[type=submit]").first.click()
    page.wait_for_url(f"**{reverse('api_tokens:list', kwargs={'tenant': slug})}")
    check_axe(page)
    assert page.request.get("/api/v1/me/", headers={"Authorization": f"Bearer {secret}"}).status == 401

    page.goto(reverse("api:docs"))
    assert page.locator("code", has_text="GET /api/v1/cases/").count() >= 1
    check_axe(page)

    console.assert_no_csp_violations()
    errors = [m for m in console.messages if m.startswith(("[error]", "[pageerror]"))]
    assert not errors, errors
