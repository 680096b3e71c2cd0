"""Employers and opportunities in the browser: a placement officer records an employer, a
site, a contact person and a contact, then an opportunity, and finds it in the list; axe
checks every page on the way (and the pages another partner sees of a shared employer)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bruecke.placement.demo.employers import OWN_EMPLOYER, SHARED_EMPLOYER
from bruecke.placement.models import Employer, Opportunity
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe, tr

pytestmark = pytest.mark.browser

NAME = "Warnow Gemüsehof GbR"


def _date(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def test_record_employer_site_contact_and_opportunity(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("jonas.krause")
    with page.expect_navigation():
        page.locator("nav.app-nav").get_by_role("link", name=tr("Employers")).click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("New employer")).click()
    check_axe(page)
    page.fill("#id_name", NAME)
    page.select_option("#id_sector", "A")
    bpage.submit()
    employer = Employer.objects.get(name=NAME)
    expect(page).to_have_url(re.compile(rf"/placement/employers/{employer.pk}/$"))
    expect(page.locator("h1")).to_have_text(NAME)
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("link", name=tr("Add site")).click()
    page.fill("#id_town", "Rostock")
    page.fill("#id_latitude", "54.08868")
    page.fill("#id_longitude", "12.13951")
    bpage.submit()
    expect(page.locator("main")).to_contain_text("Rostock")

    with page.expect_navigation():
        page.get_by_role("link", name=tr("Add contact person")).click()
    page.fill("#id_name", "Gesa Hinz")
    page.fill("#id_function", "Inhaberin")
    bpage.submit()
    # The page was reached with a fragment (#contacts-heading): wait for the form's own URL
    # rather than for "a navigation", which the scroll to the fragment can confuse under load.
    page.get_by_role("link", name=tr("Record a contact")).click()
    page.wait_for_url(re.compile(r"/activities/new/$"), timeout=30_000)
    check_axe(page)
    page.fill("#id_date", _date(0))
    page.select_option("#id_kind", "visit")
    bpage.submit()
    expect(page.locator("main")).to_contain_text("Gesa Hinz")
    check_axe(page)

    with page.expect_navigation():
        page.locator("main .page-head__actions").get_by_role("link", name=tr("New opportunity")).click()
    check_axe(page)
    page.fill("#id_title", "Erntehelfer:in")
    page.select_option("#id_kind", "job")
    page.fill("#id_occupation", "11101")
    page.fill("#id_start_date", _date(14))
    page.fill("#id_places", "3")
    bpage.submit()
    opportunity = Opportunity.objects.get(title="Erntehelfer:in")
    expect(page).to_have_url(re.compile(rf"/placement/opportunities/{opportunity.pk}/$"))
    expect(page.locator("main")).to_contain_text("11101")
    check_axe(page)
    assert opportunity.latitude == 54.08868 and opportunity.status == "open"

    bpage.goto("/placement/opportunities/?employer=gemuesehof")
    expect(page.locator("main table")).to_contain_text("Erntehelfer:in")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_other_partner_reads_shared_employer(bpage: BrowserPage) -> None:
    page = bpage.page
    employer = Employer.objects.get(name=SHARED_EMPLOYER)
    bpage.login("leyla.demir")
    bpage.goto("/placement/employers/?owner=shared")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=SHARED_EMPLOYER).click()
    expect(page).to_have_url(re.compile(rf"/placement/employers/{employer.pk}/$"))
    expect(page.locator("#contacts-heading")).to_have_count(0)
    expect(page.locator("#history-heading")).to_have_count(0)
    check_axe(page)
    bpage.goto("/placement/opportunities/?owner=shared")
    check_axe(page)
    assert not bpage.errors


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (800, 1280)])
def test_employer_and_opportunity_pages_fit_a_tablet(bpage: BrowserPage, width: int, height: int) -> None:
    page = bpage.page
    page.set_viewport_size({"width": width, "height": height})
    employer = Employer.objects.get(name=OWN_EMPLOYER)
    opportunity = Opportunity.objects.filter(employer=employer).earliest("id")
    bpage.login("jonas.krause")
    for path in (
        "/placement/employers/",
        f"/placement/employers/{employer.pk}/",
        "/placement/opportunities/",
        f"/placement/opportunities/{opportunity.pk}/",
        f"/placement/opportunities/{opportunity.pk}/edit/",
    ):
        bpage.goto(path)
        assert_no_horizontal_scrolling(page)
    check_axe(page)
    assert not bpage.errors
