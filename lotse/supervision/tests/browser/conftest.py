"""Browser tests of the supervision pages: the fixtures of the UI browser tests are reused."""

from __future__ import annotations

from lotse.ui.tests.browser.conftest import (
    axe_source,
    browser,
    check_axe,
    console,
    context,
    live_world,
    no_js_page,
    page,
)

__all__ = ["axe_source", "browser", "check_axe", "console", "context", "live_world", "no_js_page", "page"]
