"""Helpers for the browser tests: sign-in through the real pages, keyboard focus, devices."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from lotse.accounts import totp
from lotse.accounts.models import TotpDevice, User
from lotse.accounts.tests.factories import PASSWORD

if TYPE_CHECKING:
    from playwright.sync_api import Page


def confirmed_device(user: User) -> TotpDevice:
    """An authenticator app the user has already set up."""
    device = totp.new_device(user)
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return device


def submit(page: Page) -> None:
    """Press the primary button of the form in the main area (the header has buttons too)."""
    page.locator("main form.lotse-form button[type=submit]").first.click()


def enter_password(page: Page, user: User, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", password)
    submit(page)


def sign_in(page: Page, user: User, device: TotpDevice, *, now: float | None = None) -> None:
    """Sign in through the login and code pages. A code is accepted only once: for a second
    sign-in within 30 seconds pass ``now=time.time() + 30`` (the next code, still accepted)."""
    enter_password(page, user)
    page.wait_for_url("**/accounts/login/code/")
    page.fill("#id_code", totp.code_for(device, now=now))
    submit(page)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def focused(page: Page, selector: str) -> bool:
    """Whether the element with keyboard focus matches ``selector``."""
    script = "(s) => !!document.activeElement && document.activeElement.matches(s)"
    return bool(page.evaluate(script, selector))


def tab_to(page: Page, selector: str, *, limit: int = 30) -> int:
    """Press Tab until an element matching ``selector`` has focus; return the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return presses
    active = page.evaluate("() => document.activeElement && document.activeElement.outerHTML")
    raise AssertionError(f"{selector} not reached with {limit} Tab presses; focus is on {active}")
