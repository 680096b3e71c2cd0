"""The coordinator's start page and dashboard in the browser: the key figures and a chart on
"Mein Tag", the full dashboard, a chart's data table opened, axe on both pages."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_coordinator_start_page_and_dashboard(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("thomas.wolf")
    slot = page.locator("[data-slot='reporting']")
    expect(slot).to_be_visible()
    expect(slot.locator("#reporting-key-figures li")).to_have_count(5)
    expect(slot.locator("svg[role='img']")).to_have_count(1)
    if os.environ.get("BRUECKE_SCREENSHOTS"):
        page.screenshot(path=os.environ["BRUECKE_SCREENSHOTS"] + "/start.png", full_page=True)
    check_axe(page)
    with page.expect_navigation():
        slot.get_by_role("link", name=tr("Open the full dashboard")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Dashboard"))
    charts = page.locator("main svg[role='img']")
    expect(charts).to_have_count(9)
    first = page.locator("#flow-month")
    table = first.locator("details table")
    expect(table).to_be_hidden()
    first.locator("details summary").click()
    expect(table).to_be_visible()
    expect(table.locator("thead th").first).to_have_text(tr("Month"))
    if os.environ.get("BRUECKE_SCREENSHOTS"):
        page.screenshot(path=os.environ["BRUECKE_SCREENSHOTS"] + "/dashboard.png", full_page=True)
    check_axe(page)


def test_team_lead_start_page_shows_the_team_figures(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("petra.lange")
    slot = page.locator("[data-slot='reporting']")
    expect(slot.locator("#reporting-heading")).to_contain_text("Rostock")
    expect(slot.locator("svg[role='img']")).to_have_count(1)
    slot.locator("details summary").click()
    expect(slot.locator("details table")).to_be_visible()
    check_axe(page)
