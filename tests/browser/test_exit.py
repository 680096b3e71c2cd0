"""Exit: close a case with the ESF exit questionnaire, see the results, answer the follow-up."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case, CaseStatus, Task
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, decide_open_items, tr

pytestmark = pytest.mark.browser


def test_close_case_with_exit_questionnaire_and_follow_up(bpage: BrowserPage) -> None:
    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan")
    case = Case.objects.get(participant=mohammed)
    today = datetime.date.today().strftime("%d.%m.%Y")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/close/']")
    check_axe(page)

    # Nothing filled in: the required answers are named, nothing is saved.
    bpage.submit()
    expect(page.locator(".form-errors")).to_be_visible()
    expect(page.locator("#id_exit_date")).to_have_attribute("aria-invalid", "true")
    check_axe(page)
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED

    page.fill("#id_exit_date", today)
    page.select_option("#id_exit_reason", "completed")
    page.fill("#id_situation-0-date", today)
    page.select_option("#id_situation-0-kind", "job_searching")
    page.fill("#id_status_collected_on", today)
    page.check("#id_qualification_gained_1")  # no
    decide_open_items(page)
    bpage.submit()

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=exit$"))
    results = page.locator("table.exit-results")
    expect(results.locator("tr", has_text="EECR01")).to_contain_text(tr("yes"))
    expect(results.locator("tr", has_text="EECR04")).to_contain_text(tr("no"))
    expect(page.locator(f"main a[href$='/cases/{case.pk}/close/']")).to_have_count(0)
    check_axe(page)
    task = Task.objects.get(case=case, source="follow_up")
    assert task.done_on is None

    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/follow-ups/new/']")
    check_axe(page)
    page.fill("#id_answered_on", today)
    page.check("#id_employed_0")
    page.fill("#id_note", "Telefonisch erreicht.")
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=exit$"))
    expect(page.locator("table.follow-ups tbody tr")).to_have_count(1)
    expect(page.locator("table.follow-ups")).to_contain_text(tr("no: outside the window"))
    task.refresh_from_db()
    assert task.done_on is not None

    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/exit/']")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
