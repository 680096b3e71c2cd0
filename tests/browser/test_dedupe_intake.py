"""The intake duplicate warning in the browser: a second registration of a person in
another spelling is stopped with the evidence per field; the existing record is one
click away, and axe finds nothing on the page with the warning."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def test_a_duplicate_is_shown_with_its_evidence_before_anything_is_saved(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/participants/new/")
    before = Participant.objects.count()

    # Partner A's Mohammed Al-Hassan (07.03.1994, Syria), written as on another document.
    page.fill("#id_given_names", "Muhammad")
    page.fill("#id_family_name", "Alhasan")
    page.fill("#id_birth_date", "07.03.1994")
    page.select_option("#id_gender", "male")
    page.select_option("#id_nationality", "SY")
    page.select_option("#id_country_of_birth", "SY")
    page.fill("#id_arrival_date", "05.05.2022")
    bpage.submit()

    warning = page.locator("section.duplicate-warning")
    expect(warning).to_be_visible()
    expect(warning.locator("h2")).to_have_text("Diese Person ist wahrscheinlich schon registriert")
    candidate = warning.locator("article.duplicate-candidate")
    expect(candidate).to_have_count(1)
    expect(candidate.locator("h3")).to_have_text("Mohammed Al-Hassan")
    expect(candidate.locator("dl")).to_contain_text("07.03.1994")
    expect(candidate.locator("dl")).to_contain_text(re.compile(r"\d+,\d %"))
    evidence = candidate.locator("table tbody tr")
    expect(evidence.filter(has_text="Familienname")).to_contain_text(
        "Gleicher Name, eventuell in anderer Schreibweise"
    )
    expect(evidence.filter(has_text="Geburtsdatum")).to_contain_text("Spricht für dieselbe Person")
    expect(evidence.filter(has_text="Wohnort")).to_contain_text("Kein Hinweis: fehlt in einem Datensatz")
    check_axe(page)
    assert Participant.objects.count() == before

    # The counsellor opens the existing record instead of registering the person twice.
    with page.expect_navigation():
        candidate.locator("h3 a").click()
    expect(page.locator("h1")).to_have_text("Mohammed Al-Hassan")
    assert not bpage.foreign_requests()
    assert not bpage.errors
