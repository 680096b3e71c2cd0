"""Transfer: Anna (partner A, Rostock) records the consent to transfer and requests the
transfer of Mohammed's case to partner B, team Greifswald; Leyla (partner B) accepts; Anna
then no longer sees the case."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case, CaseTransfer, TransferStatus
from bruecke.network.demo import seed_network
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_transfer_to_another_partner(bpage: BrowserPage) -> None:
    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    case = Case.objects.get(participant=mohammed)
    demo = seed_network()
    partner_b, greifswald = demo.partners["B"], demo.teams["Greifswald"]

    bpage.login("anna.berger")
    bpage.goto(f"/participants/{mohammed.pk}/consents/new/")
    page.select_option("#id_purpose", "transfer")
    page.get_by_label("Integrationshilfe VP").check()
    page.select_option("#id_method", "on_screen")
    page.select_option("#id_sheet_language", "ar")
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/participants/{mohammed.pk}/$"))

    bpage.goto(f"/cases/{case.pk}/")
    with page.expect_navigation():
        page.click(f"a[href$='/cases/{case.pk}/transfer/']")
    check_axe(page)
    page.select_option("#id_to_organisation", str(partner_b.pk))
    page.select_option("#id_to_team", str(greifswald.pk))
    page.fill("#id_reason", "Umzug nach Greifswald")
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    transfers = page.locator("section[aria-labelledby=transfers-heading] table")
    expect(transfers).to_contain_text(tr("waiting for a decision"))
    check_axe(page)
    bpage.logout()

    bpage.login("leyla.demir")
    expect(page.locator("section[aria-labelledby=incoming-heading]")).to_contain_text("1")
    check_axe(page)
    with page.expect_navigation():
        page.click("a[href$='/cases/transfers/incoming/']")
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Mohammed Al-Hassan").click()
    expect(page.locator("dl.facts")).to_contain_text("1994")
    check_axe(page)
    bpage.submit("main form.accept-form")
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    check_axe(page)
    assert CaseTransfer.objects.get(case=case).status == TransferStatus.ACCEPTED
    bpage.logout()

    bpage.login("anna.berger")
    response = page.goto(f"{bpage.base_url}/cases/{case.pk}/")
    assert response is not None and response.status == 404
    response = page.goto(f"{bpage.base_url}/participants/{mohammed.pk}/")
    assert response is not None and response.status == 404
    assert not bpage.foreign_requests()
    assert not bpage.errors
