"""The warning before the idle limit (WCAG 2.2.1): it appears, is accessible, and "stay
signed in" restarts the idle period on the server."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_warning_before_the_session_ends(bpage: BrowserPage, settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 123  # the warning comes 120 s ahead: after 3 s
    page = bpage.page
    bpage.login("anna.berger")
    dialog = page.get_by_role("alertdialog")
    expect(dialog).to_be_visible(timeout=8_000)
    expect(dialog).to_contain_text(tr("Your session ends soon"))
    expect(page.get_by_role("button", name=tr("Stay signed in"))).to_be_focused()
    check_axe(page)
    with page.expect_response(lambda r: r.url.endswith("/accounts/session/extend/")) as answer:
        page.get_by_role("button", name=tr("Stay signed in")).click()
    assert answer.value.status == 204
    expect(dialog).to_be_hidden()
