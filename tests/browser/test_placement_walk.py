"""The placement officer's whole walk in the browser: a new employer with a site, an
opportunity for it, the matching participants, a proposal, the pipeline with the
work-permission application, the placement and its 1-month check-in. axe checks every page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.participants.models import ResidenceStatus
from bruecke.placement.models import Application, CheckIn, Employer, Opportunity, Placement, PlacementStatus
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.browser.test_placement_pipeline import _move

pytestmark = pytest.mark.browser


def _date(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _new_employer_with_opportunity(bpage: BrowserPage) -> Opportunity:
    page = bpage.page
    with page.expect_navigation():
        page.locator("nav.app-nav").get_by_role("link", name=tr("Employers")).click()
    with page.expect_navigation():
        page.get_by_role("link", name=tr("New employer")).click()
    page.fill("#id_name", "Hafenküche Warnemünde GmbH")
    page.select_option("#id_sector", "I")
    bpage.submit()
    employer = Employer.objects.get(name="Hafenküche Warnemünde GmbH")
    expect(page).to_have_url(re.compile(rf"/placement/employers/{employer.pk}/$"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Add site")).click()
    page.fill("#id_town", "Rostock")
    page.fill("#id_latitude", "54.17700")
    page.fill("#id_longitude", "12.08300")
    bpage.submit()
    with page.expect_navigation():
        page.locator("main .page-head__actions").get_by_role("link", name=tr("New opportunity")).click()
    check_axe(page)
    page.fill("#id_title", "Beikoch:Beiköchin")
    page.select_option("#id_kind", "job")
    page.fill("#id_occupation", "29301")
    page.fill("#id_start_date", _date(21))
    page.fill("#id_places", "1")
    bpage.submit()
    opportunity = Opportunity.objects.get(employer=employer)
    expect(page).to_have_url(re.compile(rf"/placement/opportunities/{opportunity.pk}/$"))
    check_axe(page)
    return opportunity


def test_employer_opportunity_match_pipeline_permit_placement_check_in(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    # A Gestattung: the job needs the Ausländerbehörde's permission (with BA approval).
    ResidenceStatus.objects.filter(participant=case.participant).update(
        status="gestattung", work_note="with_permission"
    )
    bpage.login("jonas.krause")
    opportunity = _new_employer_with_opportunity(bpage)

    # The matching participants, each score explained; Al-Hassan is proposed from there.
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Matching participants")).click()
    check_axe(page)
    row = page.locator("main tr", has_text="Al-Hassan").first
    expect(row).to_be_visible()
    with page.expect_navigation():
        row.get_by_role("button", name=re.compile(tr("Propose"))).click()
    application = Application.objects.get(case=case, opportunity=opportunity)
    expect(page).to_have_url(re.compile(rf"/placement/pipeline/{application.pk}/$"))
    check_axe(page)

    # Along the pipeline; starting before the permission is granted is refused.
    _move(bpage, "applied")
    _move(bpage, "contract")
    _move(bpage, "started", expect_error=True)
    expect(page.locator("#id_stage-errors")).to_contain_text("Erlaubnis")

    # The work-permission application: applied, BA asked, granted.
    with page.expect_navigation():
        page.click("main a[href$='/permit/']")
    check_axe(page)
    page.fill("#id_applied_on", _date(0))
    page.fill("#id_ba_requested_on", _date(0))
    page.select_option("#id_decision", "granted")
    page.fill("#id_decided_on", _date(0))
    bpage.submit()
    expect(page.locator("[data-testid='permit']")).to_contain_text(tr("granted"))

    # The placement fills the only place; the 1-month check-in is recorded.
    with page.expect_navigation():
        page.click("main a[href*='/placement/new/?application=']")
    page.fill("#id_start_date", _date(0))
    page.fill("#id_hours_per_week", "30")
    bpage.submit()
    placement = Placement.objects.get(application=application)
    check_axe(page)
    assert Opportunity.objects.get(pk=opportunity.pk).status == "filled"
    first = CheckIn.objects.get(placement=placement, months_after_start=1)
    with page.expect_navigation():
        page.click(f"main a[href$='/check-ins/{first.pk}/']")
    page.select_option("#id_outcome", "fine")
    page.fill("#id_note", "Team zufrieden")
    bpage.submit()
    check_axe(page)
    assert CheckIn.objects.get(pk=first.pk).done_on == timezone.localdate()
    assert Placement.objects.get(pk=placement.pk).status == PlacementStatus.ACTIVE

    # The case timeline tells the story.
    bpage.goto(f"/cases/{case.pk}/timeline/")
    main = page.locator("main")
    for label in ("placement pipeline", "work-permission application", "placement"):
        expect(main).to_contain_text(tr(label))
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
