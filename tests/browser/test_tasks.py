"""Tasks: add one on the case page, find it under "Mein Tag" on the dashboard, mark it done."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case, Task
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser

TITLE = "Bescheinigung für das Jobcenter ausstellen"


def test_add_a_task_on_the_case_page_and_finish_it_from_my_day(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/?section=tasks")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/tasks/new/']")
    check_axe(page)
    page.fill("#id_title", TITLE)
    bpage.submit()

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=tasks$"))
    expect(page.locator("section[aria-labelledby=tasks-heading] table")).to_contain_text(TITLE)
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("All tasks of the case")).click()
    expect(page.locator("main")).to_contain_text(TITLE)
    check_axe(page)

    bpage.goto("/dashboard/")
    expect(page.locator("h1")).to_have_text(tr("My day"))
    my_day = page.locator("section[aria-labelledby=my-day-heading]")
    expect(my_day.locator("h2")).to_have_text(tr("Tasks and plan steps due"))
    row = my_day.locator("tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    check_axe(page)
    with page.expect_navigation():
        row.get_by_role("button").click()

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator(".app-messages")).to_contain_text(tr("The task is done."))
    expect(my_day.locator("tbody tr", has_text=TITLE)).to_have_count(0)
    bpage.goto("/cases/tasks/?done=1")
    expect(page.locator("main table")).to_contain_text(TITLE)
    check_axe(page)
    task = Task.objects.get(title=TITLE)
    assert task.done_on is not None and task.case == case
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_change_a_task_from_my_tasks(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/cases/tasks/")
    row = page.locator("main tbody tr", has_text="Bewerbungsunterlagen durchsehen")
    with page.expect_navigation():
        row.get_by_role("link", name=re.compile(tr("Change"))).click()
    expect(page.locator("h1")).to_have_text(tr("Change task"))
    check_axe(page)
    page.fill("#id_title", "Bewerbungsunterlagen mit Frau Rahimi durchsehen")
    page.fill("#id_due_on", "01.01.2020")
    bpage.submit()
    expect(page.locator("#id_due_on-errors")).to_contain_text(tr("The due date cannot be in the past."))
    check_axe(page)
    page.fill("#id_due_on", (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d.%m.%Y"))
    bpage.submit()
    expect(page).to_have_url(re.compile(r"/cases/tasks/$"))
    next_days = page.get_by_role("table", name=tr("Next 7 days"))
    expect(next_days).to_contain_text("Bewerbungsunterlagen mit Frau Rahimi durchsehen")
    assert not bpage.errors
