"""The ESF indicator report in the browser: the team lead opens Berichte → ESF-Indikatoren,
chooses a project and period, runs the report, clicks a number and sees the participants
behind it; axe on the report and on the list."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from bruecke.accounts.models import User
from bruecke.esf import services as esf_services
from bruecke.esf.models import LabourMarketStatus
from bruecke.network.models import Membership
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import EsfVariant, Project
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser

PROJECT = "Browser-Vorhaben"


def _seed() -> None:
    membership = Membership.objects.select_related("organisation", "team").get(user__username="petra.lange")
    organisation, team = membership.organisation, membership.team
    project = Project.objects.create(
        network=organisation.network,
        name=PROJECT,
        esf_variant=EsfVariant.ESF_PLUS,
        starts_on=datetime.date(2024, 1, 1),
    )
    manager = User.objects.get(username="anna.berger")
    for given, status in (("Samira", LabourMarketStatus.INACTIVE), ("Yusuf", LabourMarketStatus.EMPLOYED)):
        person = Participant.objects.create(
            organisation=organisation,
            team=team,
            project=project,
            given_names=given,
            family_name="Bericht",
            birth_year=1994,
            gender=Gender.FEMALE if given == "Samira" else Gender.MALE,
            nationality="SY",
            entry_date=datetime.date(2024, 2, 1),
        )
        esf_services.entry_record_save(
            actor=manager, participant=person, data={"lm_status_entry": status, "isced_level": 3}
        )


def test_team_lead_runs_the_report_and_opens_the_participants_behind_a_number(bpage: BrowserPage) -> None:
    page = bpage.page
    _seed()
    bpage.login("petra.lange")
    page.get_by_role("link", name=tr("Reports"), exact=True).first.click()
    page.get_by_role("link", name=tr("ESF indicators")).click()
    expect(page.locator("h1")).to_have_text(tr("ESF indicators"))

    page.select_option("#id_project", label=PROJECT)
    page.fill("#id_start", "01.01.2024")
    page.fill("#id_end", "31.12.2024")
    bpage.submit("main form.filter-form")
    row = page.locator("tr", has=page.locator("td", has_text="EECO01"))
    expect(row.locator("td.kern-table__cell--numeric").first).to_contain_text("2")
    check_axe(page)

    with page.expect_navigation():
        row.locator("td.kern-table__cell--numeric").first.locator("a").click()
    expect(page.locator("h1")).to_contain_text("EECO01")
    names = page.locator("table.drill-down-list tbody th")
    expect(names).to_have_count(2)
    expect(names.first).to_contain_text("Samira Bericht")
    expect(names.last).to_contain_text("Yusuf Bericht")
    check_axe(page)
