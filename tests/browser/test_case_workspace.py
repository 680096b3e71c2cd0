"""The case page as a workspace (issue 12): tabs loaded with htmx, the contact form one
button away, at desktop and tablet size, with the keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bruecke.cases.models import Case
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (800, 1280)]


def _no_horizontal_scroll(page: Page) -> None:
    assert_no_horizontal_scrolling(page)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_switch_tabs_with_htmx_and_record_a_contact(bpage: BrowserPage, width: int, height: int) -> None:
    page = bpage.page
    page.set_viewport_size({"width": width, "height": height})
    case = Case.objects.get(participant__family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/")
    expect(page.locator("nav.case-tabs a[aria-current=page]")).to_have_attribute(
        "href", f"/cases/{case.pk}/?section=contacts"
    )
    check_axe(page)
    _no_horizontal_scroll(page)

    # Each tab comes in with htmx: no new page load, the address follows, the focus moves.
    page.evaluate("window.__sameDocument = true")
    for name in ("plan", "barriers", "profile", "documents", "tasks", "history"):
        page.click(f"nav.case-tabs a[href$='?section={name}']")
        expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section={name}$"))
        panel = page.locator(f"#case-sections .case-sections__panel[data-section={name}]")
        expect(panel).to_have_count(1)
        expect(panel.locator("h2").first).to_be_focused()
        expect(page.locator("nav.case-tabs a[aria-current=page]")).to_have_attribute(
            "href", f"/cases/{case.pk}/?section={name}"
        )
        check_axe(page)
        _no_horizontal_scroll(page)
    assert page.evaluate("window.__sameDocument") is True

    # Back goes to the previous tab, a reload keeps the tab.
    page.go_back()
    expect(page).to_have_url(re.compile(r"\?section=tasks$"))
    expect(page.locator("#tasks-heading")).to_be_visible()
    page.reload()
    expect(page.locator("#tasks-heading")).to_be_visible()

    # The summary header stays in view on the wide screen and scrolls away on the tablet.
    position = page.locator(".summary-header").evaluate("e => getComputedStyle(e).position")
    assert position == ("sticky" if width >= 1024 else "static")

    # Recording a contact: one button on the case page opens the form.
    page.click("nav.case-tabs a[href$='?section=contacts']")
    expect(page.locator("#contacts-heading")).to_be_focused()
    page.click("#record-contact > summary")
    expect(page.locator("#id_duration_minutes")).to_be_visible()
    _no_horizontal_scroll(page)
    check_axe(page)
    page.fill("#id_duration_minutes", "35")
    page.get_by_label("Arbeitssuche").check()
    page.fill("#id_note", "Bewerbung bei der Stadtwerke GmbH besprochen.")
    bpage.submit("main form.contact-form")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    rows = page.locator("section[aria-labelledby=contacts-heading] table tbody tr")
    expect(rows.first).to_contain_text("Bewerbung bei der Stadtwerke GmbH besprochen.")
    check_axe(page)


def test_record_a_contact_with_the_keyboard_only(bpage: BrowserPage) -> None:
    page = bpage.page
    page.set_viewport_size({"width": 800, "height": 1280})
    case = Case.objects.get(participant__family_name="Al-Hassan")
    before = case.contacts.count()
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/")
    summary = page.locator("#record-contact > summary")
    for _ in range(60):  # Tab from the top of the page to the button
        page.keyboard.press("Tab")
        if summary.evaluate("e => e === document.activeElement"):
            break
    expect(summary).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#record-contact")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.locator("#id_date")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_duration_minutes")).to_be_focused()
    page.keyboard.type("15")
    note = page.locator("#id_note")
    for _ in range(40):  # channel, site, interpreter, topics … up to the note
        page.keyboard.press("Tab")
        if note.evaluate("e => e === document.activeElement"):
            break
    expect(note).to_be_focused()
    page.keyboard.type("Telefonat ohne Maus erfasst.")
    submit = page.locator("main form.contact-form button[type=submit]")
    for _ in range(5):  # past "confidential" to the button
        page.keyboard.press("Tab")
        if submit.evaluate("e => e === document.activeElement"):
            break
    expect(submit).to_be_focused()
    with page.expect_navigation():
        page.keyboard.press("Space")
    expect(page.locator("section[aria-labelledby=contacts-heading] table tbody tr").first).to_contain_text(
        "Telefonat ohne Maus erfasst."
    )
    assert case.contacts.count() == before + 1


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_participant_page_with_the_summary_header(bpage: BrowserPage, width: int, height: int) -> None:
    page = bpage.page
    page.set_viewport_size({"width": width, "height": height})
    case = Case.objects.get(participant__family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{case.participant_id}/")
    expect(page.locator(".summary-header h1")).to_contain_text("Al-Hassan")
    expect(page.locator(".summary-header a.summary-header__work .kern-badge")).to_be_visible()
    check_axe(page)
    _no_horizontal_scroll(page)
