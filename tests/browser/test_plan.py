"""The integration plan in the browser: edit without JavaScript, mark a step done, print in Arabic."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case, PlanVersion, Step, StepStatus
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def test_edit_plan_mark_done_and_print(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/")
    check_axe(page)
    with page.expect_navigation():
        page.click(f"#plan-heading ~ p a[href$='/cases/{case.pk}/plan/']")
    check_axe(page)

    # One more step row for goal 1 without JavaScript: the page is posted back, unsaved.
    with page.expect_navigation():
        page.click("button[name=add_step][value='0']")
    expect(page.locator("#id_goal-0-step-3-description")).to_be_visible()
    due = (datetime.date.today() + datetime.timedelta(days=10)).strftime("%d.%m.%Y")
    page.fill("#id_goal-0-step-3-description", "Beratungstermin zur Kursförderung")
    page.select_option("#id_goal-0-step-3-responsible", "counsellor")
    page.fill("#id_goal-0-step-3-due_on", due)
    page.fill("#id_goal-2-title", "Führerschein")
    page.fill("#id_goal-2-step-0-description", "Fahrschule vergleichen")
    page.fill("#id_goal-2-step-0-due_on", "01.01.2000")  # before the plan was made
    with page.expect_navigation():
        page.click("button[name=save]")
    expect(page.locator("#id_goal-2-step-0-due_on-errors")).to_contain_text("vor der Erstellung des Plans")
    check_axe(page)
    page.fill("#id_goal-2-step-0-due_on", due)
    with page.expect_navigation():
        page.click("button[name=save]")

    expect(page.locator(".app-messages")).to_contain_text("Version 2")
    captions = page.locator("#plan-heading ~ table caption")
    expect(captions).to_have_count(3)
    expect(captions.nth(2)).to_contain_text("Führerschein")
    assert PlanVersion.objects.filter(plan__case=case).count() == 2

    step = Step.objects.get(goal__plan__case=case, description="Beratungstermin zur Kursförderung")
    with page.expect_navigation():
        page.click(f"form[action$='/plan/steps/{step.pk}/done/'] button")
    expect(page.locator(".app-messages")).to_contain_text("erledigt")
    step.refresh_from_db()
    assert step.status == StepStatus.DONE
    check_axe(page)

    with page.expect_navigation():
        page.click("#plan-heading ~ p a[href$='/plan/versions/1/']")
    expect(page.locator("main")).not_to_contain_text("Führerschein")  # version 1 as it was agreed
    check_axe(page)

    bpage.goto(f"/cases/{case.pk}/plan/print/")
    page.select_option("#plan-print-language", "ar")
    with page.expect_navigation():
        page.click("nav.plan-print-tools button[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    expect(page.locator("main h1")).to_have_text("خطة الاندماج")
    expect(page.locator("main")).to_contain_text("Führerschein")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
