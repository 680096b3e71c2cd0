"""The start pages: the case manager's "Mein Tag" and the team lead's, with axe at the
desktop and the tablet-portrait size, without horizontal scrolling."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe, tr

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (800, 1280)]


def _fits(page: Page) -> None:
    assert_no_horizontal_scrolling(page)


def test_case_manager_my_day(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        bpage.goto("/dashboard/")
        expect(page.locator("h1")).to_have_text(tr("My day"))
        cases = page.locator("section[aria-labelledby=my-cases-heading]")
        expect(cases.locator("tbody tr", has_text="Mohammed Al-Hassan")).to_have_count(1)
        expect(page.locator("section[aria-labelledby=my-day-heading] tbody tr")).not_to_have_count(0)
        expect(page.locator("section[aria-labelledby=expiring-heading]")).to_contain_text(
            "Mohammed Al-Hassan"
        )
        expect(page.locator("section[aria-labelledby=my-stale-heading]")).to_be_visible()
        expect(page.locator("section[aria-labelledby=incoming-heading]")).to_be_visible()
        expect(page.locator("section[aria-labelledby=team-heading]")).to_have_count(0)
        _fits(page)
        check_axe(page)
    with page.expect_navigation():
        cases.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(page).to_have_url(re.compile(r"/cases/\d+/"))


def test_team_lead_start_page_and_caseload(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("petra.lange")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        bpage.goto("/dashboard/")
        team = page.locator("section[aria-labelledby=team-heading]")
        expect(team.locator("tbody tr", has_text="Anna Berger")).to_have_count(1)
        expect(team.locator("tbody tr", has_text="Leyla Demir")).to_have_count(0)
        expect(page.locator("section[aria-labelledby=team-stale-heading]")).to_be_visible()
        expect(page.locator("[data-slot=reporting]")).to_contain_text(tr("participants entered"))
        _fits(page)
        check_axe(page)
    with page.expect_navigation():
        team.get_by_role("link", name=tr("To the caseload")).click()
    header = page.locator("table.caseload thead th", has_text=tr("Open cases"))
    expect(header).not_to_have_attribute("aria-sort", re.compile("."))
    with page.expect_navigation():
        header.get_by_role("link").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    counts = [int(text) for text in page.locator("table.caseload tbody tr td:nth-child(2)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        _fits(page)
    check_axe(page)
