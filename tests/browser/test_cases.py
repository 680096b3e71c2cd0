"""Case work, first part: open a case from the participant page, record a contact."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def test_open_case_and_record_contact(bpage: BrowserPage) -> None:
    page = bpage.page
    amina = Participant.objects.get(family_name="Rahimi")
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{amina.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/new/{amina.pk}/']")
    check_axe(page)
    bpage.submit()

    case = Case.objects.get(participant=amina)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    check_axe(page)
    page.click("#record-contact > summary")
    page.fill("#id_duration_minutes", "25")
    page.select_option("#id_channel", "phone")
    page.get_by_label("Arbeitssuche").check()
    page.fill("#id_note", "Termin beim Jobcenter vorbereitet.")
    bpage.submit("main form.contact-form")

    rows = page.locator("section[aria-labelledby=contacts-heading] table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Termin beim Jobcenter vorbereitet.")
    expect(rows.first).to_contain_text("25")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
