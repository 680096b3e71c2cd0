"""Mobile counselling happens on 10-inch tablets: the mobile consultation-hour screen, the
contact form and the case form pages fit 1280×800 (landscape) and 800×1280 (portrait)
without horizontal scrolling, and pass axe at both sizes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.network.models import MobileSite
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (800, 1280)]


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_mobile_consultation_hour_on_a_tablet(bpage: BrowserPage, width: int, height: int) -> None:
    page = bpage.page
    page.set_viewport_size({"width": width, "height": height})
    case = Case.objects.get(participant__family_name="Al-Hassan")
    site = MobileSite.objects.get(name="Rathaus Wismar")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/mobile/?site={site.pk}")
    assert_no_horizontal_scrolling(page)
    check_axe(page)

    # One row filled in with a finger's reach: every field of the row is visible and usable.
    row = page.locator("fieldset.mobile-row").nth(0)
    page.select_option("#id_row-0-case", str(case.pk))
    page.fill("#id_row-0-duration_minutes", "20")
    row.get_by_label("Arbeitssuche").check()
    page.fill("#id_row-0-note", "Termin bei der Werft.")
    for field in ("case", "duration_minutes", "interpreter", "language", "note"):
        box = page.locator(f"#id_row-0-{field}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    bpage.submit("main form.mobile-form")
    expect(page.locator(".app-messages")).to_contain_text("1 Fallkontakt gespeichert.")
    assert_no_horizontal_scrolling(page)
    contact = case.contacts.order_by("-id").first()
    assert contact is not None and contact.note == "Termin bei der Werft."


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_case_forms_on_a_tablet(bpage: BrowserPage, width: int, height: int) -> None:
    page = bpage.page
    page.set_viewport_size({"width": width, "height": height})
    case = Case.objects.get(participant__family_name="Al-Hassan")
    bpage.login("anna.berger")
    for path in (
        f"/cases/{case.pk}/documents/new/",
        f"/cases/{case.pk}/profile/",
        f"/cases/{case.pk}/exit/",
        f"/cases/{case.pk}/plan/",
        f"/cases/{case.pk}/assessments/new/",
    ):
        bpage.goto(path)
        assert_no_horizontal_scrolling(page)
        check_axe(page)
    # An invalid form shows its errors and still fits.
    bpage.goto(f"/cases/{case.pk}/documents/new/")
    bpage.submit()
    expect(page.locator("main .kern-error").first).to_be_visible()
    assert_no_horizontal_scrolling(page)
    check_axe(page)
