"""The language pathway in the browser: record a German level from the participant page
and see the chart and the table beside it update; axe runs on every page on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.offers.models import LanguageAssessment
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe

pytestmark = pytest.mark.browser


def test_record_a_level_and_see_chart_and_table_update(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    before = LanguageAssessment.objects.filter(participant=case.participant).count()
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{case.participant_id}/")
    section = page.locator("section#pathways")
    chart = section.locator("svg.level-chart__svg[role='img']")
    expect(chart.locator("circle")).to_have_count(before)
    expect(section.locator("#language-table tbody tr")).to_have_count(before)
    check_axe(page)
    assert_no_horizontal_scrolling(page)

    with page.expect_navigation():
        section.locator(f"a[href$='/offers/cases/{case.pk}/language/new/']").click()
    check_axe(page)
    # A level that is not one cannot be chosen; a date in the future is refused beside the field.
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    page.select_option("#id_level", "B2")
    page.select_option("#id_basis", "exam")
    page.fill("#id_exam_name", "telc Deutsch B2")
    page.fill("#id_assessed_on", tomorrow.strftime("%d.%m.%Y"))
    bpage.submit()
    expect(page.locator("#id_assessed_on-errors")).to_contain_text("Zukunft")
    check_axe(page)
    page.fill("#id_assessed_on", datetime.date.today().strftime("%d.%m.%Y"))
    bpage.submit()

    expect(page).to_have_url(re.compile(rf"/participants/{case.participant_id}/"))
    expect(chart.locator("circle")).to_have_count(before + 1)
    first_row = section.locator("#language-table tbody tr").first
    expect(first_row).to_contain_text("B2")
    expect(first_row).to_contain_text("telc Deutsch B2")
    expect(chart.locator("desc")).to_contain_text(f"{before + 1} Feststellungen")
    expect(page.locator("#person")).to_be_visible()
    assert "B2" in page.locator("section[aria-labelledby='person']").inner_text()
    check_axe(page)
