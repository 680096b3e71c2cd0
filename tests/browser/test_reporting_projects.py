"""Projects and targets in the browser: the coordinator opens Berichte → Projekte und Ziele,
adds a target, and sees its progress, the forecast and the status in words; axe on the
pages of the area (the project list, the project, the target form, the activity report)."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.reporting.demo.targets import DEMO_PROJECT
from bruecke.reporting.models import ProjectTarget
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def test_coordinator_adds_a_target_and_sees_progress_and_forecast(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("thomas.wolf")
    bpage.goto("/")
    page.get_by_role("link", name="Berichte").first.click()
    page.get_by_role("link", name="Projekte und Ziele").click()
    expect(page).to_have_url(re.compile(r"/reporting/projects/$"))
    check_axe(page)
    page.get_by_role("link", name=DEMO_PROJECT).click()
    expect(page.get_by_role("heading", name=DEMO_PROJECT, level=1)).to_be_visible()
    check_axe(page)

    page.get_by_role("link", name="Ziel hinzufügen").click()
    check_axe(page)
    page.get_by_label("Bezeichnung").fill("Betriebsbesuche")
    page.get_by_label("Was gezählt wird").select_option("custom")
    page.get_by_label("Zielwert").fill("10")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    target = ProjectTarget.objects.get(label="Betriebsbesuche")
    row = page.locator(f"#target-{target.pk}")
    expect(row).to_contain_text("0 von 10 (0 %)")
    expect(row).to_contain_text("gefährdet")

    row.get_by_role("link", name="Fortschritt eintragen").click()
    check_axe(page)
    page.get_by_label("Datum").fill(datetime.date.today().strftime("%d.%m.%Y"))
    page.get_by_label("Erreicht").fill("5")
    with page.expect_navigation():
        page.get_by_role("button", name="Speichern").click()
    row = page.locator(f"#target-{target.pk}")
    expect(row).to_contain_text("5 von 10 (50 %)")
    expect(row).to_contain_text("im Plan")  # 5 today: at that rate the rest comes before the end
    expect(row.locator("progress")).to_have_attribute("value", "5")

    bpage.goto("/reporting/activity/")
    expect(page.get_by_role("heading", name="Sachbericht", level=1)).to_be_visible()
    check_axe(page)
