"""Main flows of the issue "Trust in what exists": names in their own script, a form sent
twice, an edit over a stale version, the information sheet, closing a case with open items."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _search(bpage: BrowserPage, query: str) -> None:
    page = bpage.page
    bpage.goto("/participants/")
    page.fill("#id_q", query)
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")


def test_name_in_own_script_gets_a_latin_suggestion_and_is_found(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/participants/new/")
    check_axe(page)

    page.fill("#id_given_names_own_script", "فاطمة")
    page.fill("#id_family_name_own_script", "الزهراء")
    page.fill("#id_birth_date", "XX.XX.1996")
    page.select_option("#id_gender", "female")
    page.select_option("#id_nationality", "SY")
    page.fill("#id_arrival_date", "05.05.2023")
    page.select_option("#id_rs-status", "gestattung")
    page.fill("#id_rs-issued_on", "01.06.2025")
    page.fill("#id_rs-valid_until", "01.06.2027")
    bpage.submit()

    # Nothing saved; the suggested Latin spelling stands in the fields, explained next to them.
    assert not Participant.objects.filter(given_names_own_script="فاطمة").exists()
    expect(page.locator("#id_given_names")).to_have_value("Fatima")
    expect(page.locator("#id_family_name")).to_have_value("Al-Zahra")
    suggested = tr(
        "Suggested from the name in its own script. Please check it against the "
        "German documents, correct it if needed and save again."
    )
    expect(page.locator("main")).to_contain_text(suggested)
    expect(page.locator("#id_given_names")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_given_names_own_script")).to_have_attribute("dir", "auto")
    check_axe(page)

    # The counsellor corrects the family name after the documents and saves.
    page.fill("#id_family_name", "Al-Zahraa")
    bpage.submit()
    person = Participant.objects.get(given_names_own_script="فاطمة")
    assert (person.given_names, person.family_name) == ("Fatima", "Al-Zahraa")
    expect(page).to_have_url(re.compile(rf"/participants/{person.pk}/$"))
    expect(page.locator("h1")).to_have_text("Fatima Al-Zahraa")
    own = page.locator("main [dir=auto], main [dir=rtl], main bdi").filter(has_text="فاطمة الزهراء")
    expect(own.first).to_be_visible()
    check_axe(page)

    # Found by the Arabic spelling of a demo participant and by the Latin one of the new.
    _search(bpage, "محمد")
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text="Mohammed Al-Hassan")).to_have_count(1)
    check_axe(page)
    _search(bpage, "Fatima")
    expect(rows.filter(has_text="Fatima Al-Zahraa")).to_have_count(1)
    expect(rows.filter(has_text="Fatima Al-Zahraa").locator("[dir=auto]")).to_have_text("(فاطمة الزهراء)")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
