"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Every test gets a fresh page whose requests are recorded; at the end of the test no
request may have left the live server (no CDNs, no tile servers, no fonts), and the page
must not have thrown a JavaScript error or hit a Content-Security-Policy violation.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.utils import translation
from playwright.sync_api import Browser, ConsoleMessage, Page, Route, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Same-origin address the axe script is served from (intercepted, never reaches Django),
# so the app's CSP (script-src 'self') stays enforced while axe runs.
AXE_PATH = "/__browser-tests__/axe.min.js"

# Chromium logs every 4xx/5xx document as a console error; form pages answer invalid
# input with 400 by design, so those lines are not JavaScript errors.
_HTTP_STATUS_NOISE = re.compile(r"^Failed to load resource: the server responded with a status of 4\d\d")


def tr(msgid: str, language: str = "de") -> str:
    """The UI text for `msgid` in `language`, as the app renders it."""
    with translation.override(language):
        return translation.gettext(msgid)


def fresh_authenticator(username: str) -> str:
    """Gives the user a newly confirmed authenticator and returns its current code (each
    sign-in of a test starts from a new app, so a code is never refused as already used)."""
    from django.utils import timezone

    from bruecke.accounts import totp
    from bruecke.accounts.models import MfaDevice, User

    user = User.objects.filter(username=username).first()
    if user is None:  # a test of a refused sign-in
        return ""
    secret = totp.new_secret()
    MfaDevice.objects.filter(user=user).delete()
    MfaDevice.objects.create(user=user, secret=secret, confirmed_at=timezone.now())
    return totp.code_at(secret, totp.current_step())


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = (
            "Debian chromium not installed at /usr/bin/chromium: browser tests skipped "
            "(apt-get install chromium)"
        )
        if os.environ.get("BRUECKE_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " (BRUECKE_REQUIRE_BROWSER=1 requires it)", pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class _ConnectionCounter:
    """Counts the live server's open connections.

    With in-memory SQLite the live server thread shares the test's database connection,
    so a request still being handled when the test ends would write into the flush that
    follows it (seen as a FOREIGN KEY failure in the teardown). The browser fixture waits
    for the count to reach zero after closing its context."""

    def __init__(self, httpd: Any) -> None:
        self._lock = threading.Lock()
        self._open = 0
        handle: Callable[..., None] = httpd.process_request_thread

        def counted(*args: Any) -> None:
            with self._lock:
                self._open += 1
            try:
                handle(*args)
            finally:
                with self._lock:
                    self._open -= 1

        httpd.process_request_thread = counted

    def wait_until_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if self._open == 0:
                    return
            time.sleep(0.02)


def _connection_counter(live_server: Any) -> _ConnectionCounter:
    httpd = live_server.thread.httpd
    counter = getattr(httpd, "bruecke_connection_counter", None)
    if counter is None:
        counter = _ConnectionCounter(httpd)
        httpd.bruecke_connection_counter = counter
    return counter


@dataclass
class BrowserPage:
    """A Playwright page on the live server plus what it requested and reported."""

    page: Page
    base_url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def goto(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def login(self, username: str) -> None:
        """Signs in as `username` with password and second factor done, the way the test
        client does (`tests.clients.verified_client`), and opens the dashboard, where the
        sign-in form leads. Three page loads fewer than `login_with_form` (measured 0.2 s
        instead of 2.9 s on a busy machine); the form itself is tested through
        `login_with_form` in test_accounts.py and test_mfa.py."""
        from django.conf import settings
        from django.urls import reverse

        from bruecke.accounts.models import User
        from tests.clients import verified_client

        fresh_authenticator(username)  # the same authenticator state as after the form
        client = verified_client(User.objects.get(username=username))
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url}]
        )
        self.goto(reverse(settings.LOGIN_REDIRECT_URL))

    def login_with_form(self, username: str, password: str | None = None) -> None:
        """Signs in through the sign-in form and the second-factor form."""
        from bruecke.network.demo import DEMO_PASSWORD

        code = fresh_authenticator(username)
        self.goto("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password or DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.click("form.form button[type=submit]")
        if "/accounts/mfa/" in self.page.url:  # not for a refused password
            self.page.fill("#id_code", code)
            with self.page.expect_navigation():
                self.page.click("form.form button[type=submit]")

    def logout(self) -> None:
        with self.page.expect_navigation():
            self.page.click("header form[action$='/accounts/logout/'] button")

    def submit(self, form_selector: str = "main form.form") -> None:
        """Submits the form and waits for the answer page to load."""
        with self.page.expect_navigation():
            self.page.click(f"{form_selector} button[type=submit]")

    def foreign_requests(self) -> list[str]:
        origin = urlsplit(self.base_url)
        foreign = []
        for url in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if (parts.scheme, parts.netloc) != (origin.scheme, origin.netloc):
                foreign.append(url)
        return foreign


@pytest.fixture
def bpage(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[BrowserPage]:
    """A fresh browser context on the live server with the demo network seeded.

    live_server tests are transactional: the database is flushed after each test, so the
    session-wide seed is gone and is rebuilt here (seeding is idempotent)."""
    from bruecke.network.demo import seed_network
    from bruecke.participants.demo import seed_fixed
    from bruecke.privacy.demo import seed_breach

    demo = seed_network()
    seed_fixed(demo)
    seed_breach(demo)  # the same demo data as `make run`
    connections = _connection_counter(live_server)
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    result = BrowserPage(page=page, base_url=live_server.url)
    page.on("request", lambda request: result.requests.append(request.url))
    page.on("pageerror", lambda error: result.errors.append(f"pageerror: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not _HTTP_STATUS_NOISE.match(message.text):
            result.errors.append(f"console: {message.text}")

    page.on("console", on_console)

    def serve_axe(route: Route) -> None:
        route.fulfill(path=str(AXE), content_type="application/javascript; charset=utf-8", status=200)

    page.route(f"{live_server.url}{AXE_PATH}", serve_axe)
    try:
        yield result
        foreign = result.foreign_requests()
        assert not foreign, f"Requests to hosts other than the live server: {foreign}"
        assert not result.errors, "JavaScript errors or CSP violations:\n" + "\n".join(result.errors)
    finally:
        context.close()
        connections.wait_until_idle()


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        targets = [node.get("target") for node in violation.get("nodes", [])]
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation.get('help')}")
        for target in targets[:10]:
            lines.append(f"    {json.dumps(target, ensure_ascii=False)}")
    return "\n".join(lines)


OPEN_ITEM = re.compile(r"^id_(task|step)_\d+$")


def decide_open_items(page: Page, action: str = "done") -> int:
    """Chooses `action` for every open task and plan step on the close-case form."""
    selects = [
        s
        for s in page.locator("fieldset.open-items select").all()
        if OPEN_ITEM.match(s.get_attribute("id") or "")
    ]
    for select in selects:
        select.select_option(action)
    return len(selects)


# The elements that reach past the window's right edge (for the failure message).
_TOO_WIDE = """() => [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth)
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className}`
         + ` ${Math.round(el.getBoundingClientRect().right)}`)"""
# Fonts in and two frames laid out: on a loaded machine the first layout after a page load
# can still use the fallback font for a moment, and nobody sees that state.
_SETTLED = (
    "() => document.fonts.ready"
    ".then(() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r))))"
)


def assert_no_horizontal_scrolling(page: Page) -> None:
    """The page fits the window's width (tablets: nothing to scroll sideways)."""
    page.evaluate(_SETTLED)
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if widths[0] > widths[1]:
        culprits = page.evaluate(_TOO_WIDE)
        raise AssertionError(f"{page.url}: {widths[0]} px wide in a {widths[1]} px window: {culprits}")


def check_axe(page: Page) -> None:
    """Runs axe-core (WCAG 2.0/2.1 A and AA rules) on the current page; no violation allowed."""
    page.wait_for_load_state("load")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_PATH)
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    violations = results["violations"]
    assert not violations, f"axe violations on {page.url}:\n{_format_violations(violations)}"
