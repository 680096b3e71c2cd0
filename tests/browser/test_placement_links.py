"""Employer links in the browser: a placement officer sends a link, the employer contact
fills in the form on a phone (360 px, no account), the placement officer picks the
occupation with the search as one types and publishes the draft. axe on every page."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from bruecke.network.demo import seed_network
from bruecke.placement.demo.catalogue import seed_occupations
from bruecke.placement.models import Opportunity, OpportunityStatus
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe
from tests.placement_links_helpers import employer_of

pytestmark = pytest.mark.browser


def test_link_public_form_on_a_phone_and_publishing_with_the_occupation_search(bpage: BrowserPage) -> None:
    demo = seed_network()
    seed_occupations()
    employer = employer_of(demo)
    page = bpage.page
    bpage.login("jonas.krause")
    bpage.goto(f"/placement/employers/{employer.pk}/links/")
    check_axe(page)
    bpage.submit("main form.form")
    url = page.input_value("#link-url")
    assert "/placement/submit/" in url
    check_axe(page)
    expect(page.locator(".link-panel")).to_contain_text("gültig bis")

    phone = page.context.browser.new_context(locale="de-DE", viewport={"width": 360, "height": 740})  # type: ignore[union-attr]
    try:
        mobile = phone.new_page()
        mobile.goto(url)
        assert mobile.locator("nav.app-nav").count() == 0
        assert_no_horizontal_scrolling(mobile)
        mobile.fill("#id_title", "Küchenhilfe Frühschicht")
        mobile.select_option("#id_kind", "job")
        mobile.fill("#id_occupation_words", "Küchenhilfe")
        mobile.select_option("#id_working_time", "part")
        mobile.fill("#id_start_date", (datetime.date.today() + datetime.timedelta(days=20)).isoformat())
        mobile.fill("#id_places", "0")
        mobile.fill("#id_town", "Rostock")
        mobile.fill("#id_contact_name", "Petra Hansen")
        mobile.fill("#id_contact_phone", "0381 123456")
        with mobile.expect_navigation():
            mobile.click("main form button[type=submit]")
        expect(mobile.locator("#id_places")).to_have_attribute("aria-invalid", "true")
        assert_no_horizontal_scrolling(mobile)
        mobile.fill("#id_places", "2")
        with mobile.expect_navigation():
            mobile.click("main form button[type=submit]")
        expect(mobile.locator("h1")).to_have_text("Vielen Dank")
    finally:
        phone.close()

    draft = Opportunity.objects.get(title="Küchenhilfe Frühschicht")
    assert draft.status == OpportunityStatus.DRAFT
    bpage.goto("/placement/drafts/")
    check_axe(page)
    with page.expect_navigation():
        page.click(f"a[href='/placement/drafts/{draft.pk}/']")
    check_axe(page)
    page.fill("#id_occupation-search", "koch")
    option = page.locator("#id_occupation-results [data-occupation-code]").first
    expect(option).to_be_visible()
    code = option.get_attribute("data-occupation-code")
    check_axe(page)
    option.click()
    expect(page.locator("#id_occupation")).to_have_value(code or "")
    page.locator("#id_occupation-search").press("Enter")  # searches, does not send the form
    assert f"/placement/drafts/{draft.pk}/" in page.url
    page.select_option("#id_site", index=1)
    bpage.submit("main form.form")
    draft.refresh_from_db()
    assert draft.status == OpportunityStatus.OPEN and draft.occupation_id == code


def test_occupation_search_page(bpage: BrowserPage) -> None:
    seed_occupations()
    bpage.login("anna.berger")
    bpage.goto("/placement/occupations/?q=koch")
    expect(bpage.page.locator("table.occupations tbody tr").first).to_contain_text("Köch")
    expect(bpage.page.locator("table.occupations tbody tr").first).to_contain_text(
        "fachlich ausgerichtete Tätigkeiten"
    )
    check_axe(bpage.page)
