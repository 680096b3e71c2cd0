"""The catalogue and network work in the browser: a case manager records a measure, is
warned of a duplicate, confirms it is a different one and finds it in the list; then
records a training with its audience rows by keyboard. axe checks every page on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bruecke.offers.models import Measure, Training
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe, tr

pytestmark = pytest.mark.browser


def _date(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def test_measure_duplicate_warning_then_list(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    with page.expect_navigation():
        page.locator("nav.app-nav").get_by_role("link", name=tr("Measures")).click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("New measure")).click()
    check_axe(page)
    page.select_option("#id_provider", label="Volkshochschule Rostock")
    page.select_option("#id_kind", "language_course")
    page.fill("#id_title", "Deutsch am Abend  A2")
    page.select_option("#id_target_level", "A2")
    page.fill("#id_capacity", "12")
    expect(page.locator("#id_confirm_different")).to_have_count(0)
    bpage.submit()
    # Refused: the existing entry is named and linked, and the confirmation box appears.
    expect(page.locator(".kern-alert--warning")).to_contain_text("Deutsch am Abend A2")
    expect(page.locator(".kern-alert--warning a")).to_have_attribute(
        "href", re.compile(r"/offers/measures/\d+/$")
    )
    check_axe(page)
    assert Measure.objects.filter(title="Deutsch am Abend  A2").count() == 0
    page.fill("#id_title", "Deutsch am Abend A2 (Samstag)")
    page.check("#id_confirm_different")
    bpage.submit()
    measure = Measure.objects.get(title="Deutsch am Abend A2 (Samstag)")
    expect(page).to_have_url(re.compile(rf"/offers/measures/{measure.pk}/$"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Add start date")).click()
    page.fill("#id_starts_on", _date(20))
    page.fill("#id_ends_on", _date(10))
    bpage.submit()
    expect(page.locator("#id_ends_on-errors")).to_be_visible()
    check_axe(page)
    page.fill("#id_ends_on", _date(80))
    bpage.submit()
    with page.expect_navigation():
        page.locator("main .breadcrumbs").get_by_role("link", name=tr("Measures")).click()
    page.fill("#id_q", "samstag")
    bpage.submit("main form.filter-form")
    row = page.locator("tbody tr", has_text="Deutsch am Abend A2 (Samstag)")
    expect(row).to_contain_text(_date(20))
    expect(row).to_contain_text("Volkshochschule Rostock")
    check_axe(page)
    assert_no_horizontal_scrolling(page)


def test_training_with_audience_rows_by_keyboard(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    with page.expect_navigation():
        page.locator("nav.app-nav").get_by_role("link", name=tr("Network work")).click()
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("New training")).click()
    check_axe(page)
    page.focus("#id_topic")
    page.keyboard.type("Beschäftigungsduldung in der Praxis")
    page.keyboard.press("Tab")
    page.keyboard.type(_date(-2))
    page.keyboard.press("Tab")
    page.keyboard.type("Refugee Law Clinic")
    page.select_option("#id_audience-0-kind", "jobcenter")
    page.fill("#id_audience-0-organisation_name", "Jobcenter Rostock")
    page.fill("#id_audience-0-attendees", "8")
    page.select_option("#id_audience-1-kind", "immigration_office")
    page.fill("#id_audience-1-attendees", "0")
    bpage.submit()
    expect(page.locator("#id_audience-1-attendees-errors")).to_be_visible()
    check_axe(page)
    assert not Training.objects.filter(topic="Beschäftigungsduldung in der Praxis").exists()
    page.fill("#id_audience-1-attendees", "3")
    page.focus("#id_audience-1-attendees")
    page.keyboard.press("Enter")  # submits the form from the last field
    page.wait_for_url(re.compile(r"/offers/trainings/\d+/$"), timeout=30_000)
    training = Training.objects.get(topic="Beschäftigungsduldung in der Praxis")
    expect(page).to_have_url(re.compile(rf"/offers/trainings/{training.pk}/$"))
    expect(page.locator("tfoot")).to_contain_text("11")
    check_axe(page)
    assert_no_horizontal_scrolling(page)
