"""Browser tests (Playwright, system Chromium) with axe-core accessibility checks.

One Chromium for all browser tests, a fresh browser context per test. Without Chromium the
tests are skipped – unless ``LOTSE_REQUIRE_BROWSER=1``, then they fail, so CI never passes them
unrun. Data for the live server is created with ``transactional_db`` (the server runs in a
thread); every test module marks its tests ``django_db(transaction=True)``, which also keeps
them together when pytest-django orders the tests, so Chromium starts once.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import pytest

from conftest import World, build_world

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page

REPO_ROOT = Path(__file__).resolve().parents[4]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


def _chromium_path() -> str | None:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _unavailable(reason: str) -> NoReturn:
    """Skip – or fail when the environment promises a browser (LOTSE_REQUIRE_BROWSER=1)."""
    if os.environ.get("LOTSE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"LOTSE_REQUIRE_BROWSER=1, but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """Chromium for the tests of this package; closed after the last one."""
    executable = _chromium_path()
    if executable is None:
        _unavailable("Chromium is not installed (expected /usr/bin/chromium or `chromium` on PATH)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev requirements include it
        _unavailable("the Python package playwright is not installed")
    with pytest.MonkeyPatch.context() as patch:
        # Playwright's sync API keeps an event loop running in this thread while it is started;
        # Django's ORM refuses to work "in an async context" unless told otherwise. Only while
        # the browser runs: the variable must not leak into other tests (`check --deploy`).
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as exc:
            playwright.stop()
            _unavailable(f"Chromium at {executable} does not start: {exc}")
        try:
            yield chromium
        finally:
            chromium.close()
            playwright.stop()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_PATH.is_file():
        _unavailable(f"axe-core is missing at {AXE_PATH} (run `make assets`)")
    return AXE_PATH.read_text(encoding="utf-8")


@pytest.fixture
def live_world(transactional_db: None, live_server: Any) -> World:
    """The two-tenant world of the root conftest, committed so the live server sees it."""
    return build_world()


@dataclass
class Console:
    """Console messages and uncaught page errors of one browser context."""

    messages: list[str] = field(default_factory=list)

    def record(self, message: ConsoleMessage) -> None:
        self.messages.append(f"[{message.type}] {message.text} ({message.location.get('url', '')})")

    def csp_violations(self) -> list[str]:
        return [m for m in self.messages if "Content Security Policy" in m]

    def assert_no_csp_violations(self) -> None:
        violations = self.csp_violations()
        assert not violations, "CSP violations in the browser console:\n" + "\n".join(violations)


@pytest.fixture
def console() -> Console:
    return Console()


def _new_context(browser: Browser, base_url: str, console: Console, **options: Any) -> BrowserContext:
    # An English browser: Lotse must still answer in German until the user switches.
    context = browser.new_context(base_url=base_url, locale="en-US", **options)
    context.set_default_timeout(TIMEOUT_MS)
    context.on("console", console.record)
    context.on("weberror", lambda error: console.messages.append(f"[pageerror] {error.error}"))
    return context


@pytest.fixture
def context(browser: Browser, live_server: Any, console: Console) -> Iterator[BrowserContext]:
    ctx = _new_context(browser, live_server.url, console)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def no_js_page(browser: Browser, live_server: Any, console: Console) -> Iterator[Page]:
    """A page in a context with JavaScript switched off (axe cannot run there)."""
    ctx = _new_context(browser, live_server.url, console, java_script_enabled=False)
    yield ctx.new_page()
    ctx.close()


def _format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"axe: {len(violations)} accessibility violation(s) on {url}"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation.get('helpUrl', '')}")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {node['target']}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more")
    return "\n".join(lines)


AxeCheck = Callable[["Page"], None]


@pytest.fixture
def check_axe(axe_source: str) -> AxeCheck:
    """Run axe-core (default rules) on the current page and assert zero violations."""

    def check(page: Page) -> None:
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        # Default rules; only the violations are reported back in detail (faster).
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        violations = result["violations"]
        assert not violations, _format_violations(page.url, violations)

    return check
