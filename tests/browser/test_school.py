"""The school pathway in the browser: record an enrolment from the participant page (with
the school-age reason refused for an adult first), then the start page's school lists."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.offers.models import SchoolRecord
from bruecke.participants.models import Gender, Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _pupil() -> Case:
    """A 12-year-old of partner A with an open case and no school record."""
    from bruecke.accounts.models import User

    today = datetime.date.today()
    demo_case = Case.objects.select_related("organisation", "team").get(participant__family_name="Al-Hassan")
    partner, team = demo_case.organisation, demo_case.team
    person = Participant.objects.create(
        organisation=partner,
        team=team,
        given_names="Noor",
        family_name="Safi",
        birth_year=today.year - 12,
        birth_month=3,
        gender=Gender.FEMALE,
        nationality="AF",
        entry_date=today - datetime.timedelta(days=20),
    )
    return Case.objects.create(
        organisation=partner,
        participant=person,
        team=team,
        case_manager=User.objects.get(username="anna.berger"),
        opened_on=today - datetime.timedelta(days=20),
    )


def test_record_an_enrolment_from_the_participant_page_and_see_the_lists(bpage: BrowserPage) -> None:
    page = bpage.page
    case = _pupil()
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{case.participant_id}/")
    section = page.locator("section[aria-labelledby='school-heading']")
    expect(section).to_contain_text(tr("No school record yet."))
    check_axe(page)
    with page.expect_navigation():
        section.get_by_role("link", name=tr("Record school")).click()
    check_axe(page)
    page.select_option("#id_status", "enrolled")
    page.fill("#id_status_on", (datetime.date.today() - datetime.timedelta(days=7)).strftime("%d.%m.%Y"))
    page.select_option("#id_school_type", "regional")
    page.fill("#id_grade", "14")
    bpage.submit()
    # Beside the fields: the school is missing and the grade is out of range; nothing saved.
    expect(page.locator("#id_school_name-errors")).to_be_visible()
    expect(page.locator("#id_grade")).to_have_attribute("aria-invalid", "true")
    check_axe(page)
    assert not SchoolRecord.objects.filter(case=case).exists()
    page.fill("#id_school_name", "Regionale Schule Evershagen")
    page.fill("#id_grade", "6")
    page.check("#id_language_support")
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/participants/{case.participant_id}/#school-heading$"))
    expect(section).to_contain_text("Regionale Schule Evershagen")
    expect(section).to_contain_text(tr("enrolled"))
    assert SchoolRecord.objects.get(case=case).language_support

    bpage.goto("/")
    school = page.locator("section[aria-labelledby='school-dashboard-heading']")
    expect(school).to_contain_text("Samira Haidari")  # demo: 15, not enrolled
    expect(school).to_contain_text("Dawit Gebremedhin")  # demo: leaving soon, no follow-on
    expect(school).not_to_contain_text("Noor Safi")  # enrolled just now
    check_axe(page)
    with page.expect_navigation():
        school.get_by_role("link", name=tr("To the school overview")).click()
    expect(page.locator("h1")).to_have_text(tr("School overview"))
    check_axe(page)
