"""The placement officer's day: the placement section of "Mein Tag" (axe, both sizes, no
horizontal scrolling) and the profile of his own case with a wished occupation."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.placement.models import (
    Application,
    CheckIn,
    CooperationStatus,
    Employer,
    Occupation,
    Opportunity,
    Placement,
    Stage,
)
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe, tr

pytestmark = pytest.mark.browser

SIZES = [(1280, 800), (800, 1280)]


def _demo_case() -> Case:
    return Case.objects.get(participant__family_name="Al-Hassan")


def _placement_day(case: Case) -> None:
    """An employer not contacted for long, an open opportunity, a pipeline entry and an
    overdue 1-month check-in on Jonas Krause's case."""
    today = datetime.date.today()
    jonas = User.objects.get(username="jonas.krause")
    employer = Employer.objects.create(
        organisation=case.organisation,
        name="Elektro Warnow GmbH",
        sector="F",
        cooperation_status=CooperationStatus.ACTIVE,
        last_contact_on=today - datetime.timedelta(weeks=12),
    )
    opportunity = Opportunity.objects.create(
        organisation=case.organisation,
        network=case.organisation.network,
        employer=employer,
        title="Elektroniker:in Gebäudetechnik",
        kind="job",
        occupation=Occupation.objects.get(code="26212"),
        start_date=today + datetime.timedelta(days=20),
    )
    Application.objects.create(
        organisation=case.organisation,
        case=case,
        team=case.team,
        opportunity=opportunity,
        stage=Stage.INTERVIEW,
        stage_on=today,
        created_by=jonas,
    )
    placement = Placement.objects.create(
        organisation=case.organisation,
        case=case,
        participant=case.participant,
        team=case.team,
        employer=employer,
        kind="employment",
        start_date=today - datetime.timedelta(days=40),
        created_by=jonas,
    )
    CheckIn.objects.create(
        placement=placement, months_after_start=1, due_on=today - datetime.timedelta(days=10)
    )


def test_placement_officer_start_page(bpage: BrowserPage) -> None:
    page = bpage.page
    _placement_day(_demo_case())
    bpage.login("jonas.krause")
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        bpage.goto("/dashboard/")
        section = page.locator("[data-slot=placement]")
        expect(section.locator("h2")).to_have_text(tr("Placement"))
        # The demo's own placements of the case have check-ins too: the row of this test's.
        follow_ups = section.locator("table tbody tr", has_text="Mohammed Al-Hassan").filter(
            has_text="Elektro Warnow GmbH"
        )
        expect(follow_ups).to_have_count(1)
        expect(follow_ups).to_contain_text(tr("overdue"))
        expect(section).to_contain_text("Elektroniker:in Gebäudetechnik")
        expect(section).to_contain_text("Elektro Warnow GmbH")
        assert_no_horizontal_scrolling(page)
        check_axe(page)


def test_placement_officer_records_a_wished_occupation_on_his_case(bpage: BrowserPage) -> None:
    page = bpage.page
    case = _demo_case()
    bpage.login("jonas.krause")
    bpage.goto(f"/cases/{case.pk}/?section=profile")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/profile/']")
    check_axe(page)
    page.fill("#id_wished-1-kldb_code", "99999")  # five digits, but not in the catalogue
    bpage.submit("main form.profile-form")
    expect(page.locator("#id_wished-1-kldb_code-errors")).to_contain_text("99999")
    expect(page.locator("#id_wished-1-kldb_code")).to_have_attribute("aria-invalid", "true")
    check_axe(page)
    page.fill("#id_wished-1-kldb_code", "29302")
    page.fill("#id_max_hours_per_week", "30")
    bpage.submit("main form.profile-form")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=profile$"))
    section = page.locator("section[aria-labelledby='profile-heading']")
    expect(section).to_contain_text("Köche/Köchinnen")
    expect(section).to_contain_text("30")
    check_axe(page)
