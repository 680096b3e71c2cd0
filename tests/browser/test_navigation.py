"""Keyboard only: from the skip link through the header navigation; Enter opens the page and
`aria-current` moves to its entry."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser

CURRENT = "nav.app-nav a[aria-current=page]"


def _focused(bpage: BrowserPage) -> dict[str, str]:
    return bpage.page.evaluate(
        "() => { const e = document.activeElement;"
        " return {text: e.textContent.trim(), nav: e.closest('nav.app-nav') ? 'yes' : '', id: e.id}; }"
    )


def test_keyboard_through_the_main_navigation(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    expect(page.locator(CURRENT)).to_have_text(tr("My day"))

    page.keyboard.press("Tab")
    assert _focused(bpage)["text"] == tr("Skip to content")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    # Again from the top: Tab from the skip link through the header to the navigation.
    bpage.goto("/dashboard/")
    page.keyboard.press("Tab")
    assert _focused(bpage)["text"] == tr("Skip to content")
    visited = []
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = _focused(bpage)
        if focused["nav"]:
            visited.append(focused["text"])
        if focused["text"] == tr("Tasks"):
            break
    assert visited[:3] == [tr("My day"), tr("Participants"), tr("Caseload")]
    assert visited[-1] == tr("Tasks")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases/tasks/$"))
    expect(page.locator(CURRENT)).to_have_count(1)
    expect(page.locator(CURRENT)).to_have_text(tr("Tasks"))
    check_axe(page)

    # Backwards with Shift+Tab to "Mein Tag": the mark moves back.
    page.locator(CURRENT).focus()
    for _ in range(5):
        page.keyboard.press("Shift+Tab")
        if _focused(bpage)["text"] == tr("My day"):
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(CURRENT)).to_have_text(tr("My day"))
