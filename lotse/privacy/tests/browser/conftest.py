"""Browser tests of the privacy operations: the fixtures of the UI browser tests (live server,
Playwright with the system Chromium, axe-core, the CSP console collector, the two-tenant world)
are reused, not copied. Importing them here registers them for this package; ``browser`` is
package-scoped, so this package starts its own Chromium once."""

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
