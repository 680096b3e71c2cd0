"""The placement officer's walk: propose an opportunity from the case's placement tab,
move the entry along the pipeline with a work-permission application, record the placement
and its 1-month check-in. axe runs on every page on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.participants.models import ResidenceStatus
from bruecke.placement.models import Application, CheckIn, Opportunity, Placement, PlacementStatus, Stage
from tests import placement_factories as factories
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _move(bpage: BrowserPage, stage: str, *, expect_error: bool = False) -> None:
    page = bpage.page
    page.select_option("#id_stage", stage)
    page.fill("#id_on", datetime.date.today().strftime("%d.%m.%Y"))
    bpage.submit("main form[action$='/move/']")
    if not expect_error:
        label = {"applied": "applied", "contract": "contract signed", "started": "started"}[stage]
        expect(page.locator("[data-testid='stage']")).to_contain_text(tr(label))


def test_propose_move_with_permit_place_and_check_in(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    # A Gestattung: employment needs the Ausländerbehörde's permission with BA approval.
    ResidenceStatus.objects.filter(participant=case.participant).update(
        status="gestattung", work_note="with_permission"
    )
    opportunity = factories.opportunity(case.organisation, title="Koch (Browser)", places=1)
    bpage.login("jonas.krause")
    bpage.goto(f"/cases/{case.pk}/?section=placement")
    check_axe(page)
    with page.expect_navigation():
        page.click("main a[href*='/placement/pipeline/new/?case=']")
    check_axe(page)
    page.select_option("#id_opportunity", str(opportunity.pk))
    bpage.submit()
    application = Application.objects.get(case=case, opportunity=opportunity)
    expect(page).to_have_url(re.compile(rf"/placement/pipeline/{application.pk}/$"))
    check_axe(page)

    # Started before the permission: refused, with the reason next to the field.
    _move(bpage, "applied")
    _move(bpage, "contract")
    _move(bpage, "started", expect_error=True)
    expect(page.locator("#id_stage-errors")).to_contain_text("Erlaubnis")
    check_axe(page)

    # The work-permission application: applied, then granted.
    with page.expect_navigation():
        page.click("main a[href$='/permit/']")
    check_axe(page)
    today = datetime.date.today().strftime("%d.%m.%Y")
    page.fill("#id_applied_on", today)
    page.fill("#id_ba_requested_on", today)
    page.select_option("#id_decision", "granted")
    page.fill("#id_decided_on", today)
    page.fill("#id_conditions", "Nur bei diesem Arbeitgeber")
    bpage.submit()
    expect(page.locator("[data-testid='permit']")).to_contain_text("Nur bei diesem Arbeitgeber")

    # The placement from the contract fills the only place and starts the entry.
    with page.expect_navigation():
        page.click("main a[href*='/placement/new/?application=']")
    check_axe(page)
    page.fill("#id_start_date", today)
    page.fill("#id_hours_per_week", "38")
    bpage.submit()
    placement = Placement.objects.get(application=application)
    expect(page).to_have_url(re.compile(rf"/placement/placements/{placement.pk}/$"))
    check_axe(page)
    assert Opportunity.objects.get(pk=opportunity.pk).status == "filled"
    assert Application.objects.get(pk=application.pk).stage == Stage.STARTED

    # The 1-month check-in notes a risk of dropping out.
    first = CheckIn.objects.get(placement=placement, months_after_start=1)
    with page.expect_navigation():
        page.click(f"main a[href$='/check-ins/{first.pk}/']")
    check_axe(page)
    page.select_option("#id_outcome", "at_risk")
    page.fill("#id_note", "Schichtzeiten schwierig")
    bpage.submit()
    expect(page.locator("[data-testid='placement-status']")).to_contain_text("abbruchgefährdet")
    check_axe(page)
    assert Placement.objects.get(pk=placement.pk).status == PlacementStatus.AT_RISK

    bpage.goto("/placement/pipeline/?scope=team")
    check_axe(page)
    expect(page.locator("main")).to_contain_text("abbruchgefährdet")
