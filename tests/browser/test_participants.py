"""Main flow of the participants issue: intake → duplicate warning → participant page,
then finding the person again by a spelling variant."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def test_intake_duplicate_warning_and_participant_page(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    with page.expect_navigation():
        page.click("header nav a[href$='/participants/']")
    check_axe(page)
    with page.expect_navigation():
        page.click("main a[href$='/participants/new/']")
    check_axe(page)

    # A variant spelling of Mohammed Al-Hassan (born 07.03.1994), who is already registered.
    page.fill("#id_given_names", "Mohamad")
    page.fill("#id_family_name", "Al Hasan")
    page.fill("#id_other_spellings", "محمد الحسن")
    page.fill("#id_birth_date", "07.03.1994")
    page.select_option("#id_gender", "male")
    page.select_option("#id_nationality", "SY")
    page.fill("#id_arrival_date", "05.05.2022")
    page.select_option("#id_rs-status", "gestattung")
    page.fill("#id_rs-issued_on", "01.06.2025")
    page.fill("#id_rs-valid_until", "01.06.2027")
    bpage.submit()

    warning = page.locator("section.duplicate-warning")
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Mohammed Al-Hassan")
    check_axe(page)
    assert not Participant.objects.filter(given_names="Mohamad").exists()

    # The counsellor checks and confirms it is a different person; the input was kept.
    expect(page.locator("#id_given_names")).to_have_value("Mohamad")
    page.check("#id_confirmed_new")
    bpage.submit()

    person = Participant.objects.get(given_names="Mohamad")
    expect(page).to_have_url(re.compile(rf"/participants/{person.pk}/$"))
    expect(page.locator("h1")).to_have_text("Mohamad Al Hasan")
    expect(page.locator("main")).to_contain_text("1994")
    expect(page.locator("main")).to_contain_text("محمد الحسن")
    residence = page.locator("section[aria-labelledby=residence] table tbody tr")
    expect(residence.first).to_contain_text("Aufenthaltsgestattung")
    check_axe(page)

    # Found again by another spelling; the name never appears in the address bar.
    with page.expect_navigation():
        page.click("header nav a[href$='/participants/']")
    page.fill("#id_q", "Muhammad Alhassan")
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")
    assert "uhammad" not in page.url
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Mohamad Al Hasan")).to_have_count(1)
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
