"""A referral through to its outcome: anna.berger refers Mohammed Al-Hassan from the case
page, records accepted → started → completed, finds the steps in the case's history and
the demo's overdue referral on "Mein Tag". axe runs on every page on the way."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.offers.models import Measure, Referral, ReferralStatus
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _step(bpage: BrowserPage, status: str) -> None:
    page = bpage.page
    page.select_option("#id_status", status)
    page.fill("#id_on", datetime.date.today().strftime("%d.%m.%Y"))
    bpage.submit("main form[action$='/step/']")
    expect(page.locator("[data-testid='referral-status']")).to_contain_text(
        tr(str(ReferralStatus(status).label))
    )


def test_a_referral_through_to_its_outcome(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    measure = Measure.objects.get(organisation=case.organisation, title="Berufsorientierung für Geflüchtete")
    bpage.login("anna.berger")

    # "Mein Tag": the demo's referral to the recognition counselling has had no answer.
    section = page.locator("[data-section='referrals-overdue']")
    expect(section).to_contain_text("Anerkennungsberatung")
    expect(section).to_contain_text(tr("overdue"))
    check_axe(page)

    bpage.goto(f"/cases/{case.pk}/?section=offers")
    check_axe(page)
    with page.expect_navigation():
        page.click(f"main a[href$='/offers/cases/{case.pk}/referrals/new/']")
    check_axe(page)
    page.select_option("#id_measure", str(measure.pk))
    page.fill(
        "#id_expected_start_on", (datetime.date.today() + datetime.timedelta(days=14)).strftime("%d.%m.%Y")
    )
    bpage.submit()
    referral = Referral.objects.get(case=case, measure=measure)
    expect(page).to_have_url(re.compile(rf"/offers/referrals/{referral.pk}/$"))
    check_axe(page)

    # A step dated in the future is refused beside the field; nothing is saved.
    page.select_option("#id_status", "started")
    page.fill("#id_on", (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d.%m.%Y"))
    bpage.submit("main form[action$='/step/']")
    expect(page.locator("#id_on-errors")).to_be_visible()
    check_axe(page)

    _step(bpage, "accepted")
    _step(bpage, "started")
    _step(bpage, "completed")
    expect(page.locator("main form[action$='/step/']")).to_have_count(0)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED

    bpage.goto(f"/cases/{case.pk}/timeline/")
    history = page.locator("main .timeline")
    expect(history).to_contain_text(tr("completed"))
    expect(history).to_contain_text(tr("accepted"))
    check_axe(page)
