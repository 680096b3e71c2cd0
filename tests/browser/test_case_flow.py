"""The whole case in one walk: open → contact → barriers → plan → print → exit."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import Case, CaseEvent, CaseStatus, EventKind, PlanVersion
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, decide_open_items

pytestmark = pytest.mark.browser


def _day(offset: int = 0) -> str:
    return (datetime.date.today() + datetime.timedelta(days=offset)).strftime("%d.%m.%Y")


def test_open_case_to_exit(bpage: BrowserPage) -> None:
    page = bpage.page
    amina = Participant.objects.get(family_name="Rahimi")
    bpage.login("anna.berger")

    # Open the case from the participant page.
    bpage.goto(f"/participants/{amina.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/new/{amina.pk}/']")
    bpage.submit()
    case = Case.objects.get(participant=amina)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))

    # Record a contact from the quick form.
    page.click("#record-contact > summary")
    page.fill("#id_duration_minutes", "40")
    page.get_by_label("Sprachkurs").check()
    page.fill("#id_note", "Erstgespräch, Ziel Ausbildung.")
    bpage.submit("main form.contact-form")
    expect(page.locator("section[aria-labelledby=contacts-heading] table tbody tr")).to_have_count(1)

    # Assess barriers (the barriers tab, loaded with htmx).
    page.click(f"nav.case-tabs a[href$='/cases/{case.pk}/?section=barriers']")
    expect(page.locator("#barriers-heading")).to_be_focused()
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/assessments/new/']")
    page.select_option("#id_severity_german", "3")
    page.select_option("#id_severity_childcare", "2")
    bpage.submit()
    expect(page.locator("table.barriers tbody tr")).to_have_count(2)

    # Draw up the plan with one goal and two steps.
    page.click(f"nav.case-tabs a[href$='/cases/{case.pk}/?section=plan']")
    with page.expect_navigation():
        page.click(f"section[aria-labelledby=plan-heading] a[href$='/cases/{case.pk}/plan/']")
    page.fill("#id_goal-0-title", "Deutsch B1")
    page.fill("#id_goal-0-step-0-description", "B1-Kurs anmelden")
    page.select_option("#id_goal-0-step-0-responsible", "participant")
    page.fill("#id_goal-0-step-0-due_on", _day(14))
    page.fill("#id_goal-0-step-1-description", "Kinderbetreuung klären")
    page.select_option("#id_goal-0-step-1-responsible", "counsellor")
    page.fill("#id_goal-0-step-1-due_on", _day(7))
    with page.expect_navigation():
        page.click("button[name=save]")
    expect(page.locator("section[aria-labelledby=plan-heading] table caption")).to_contain_text("Deutsch B1")
    assert PlanVersion.objects.filter(plan__case=case).count() == 1
    check_axe(page)

    # Print the plan for the participant (Dari/Farsi: right to left) and fetch the PDF.
    with page.expect_navigation():
        page.click(f"section[aria-labelledby=plan-heading] a[href$='/cases/{case.pk}/plan/print/']")
    page.select_option("#plan-print-language", "fa")
    with page.expect_navigation():
        page.click("nav.plan-print-tools button[type=submit]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("main")).to_contain_text("Kinderbetreuung klären")
    check_axe(page)
    with page.expect_download() as download_info:
        page.click(f"a[href*='/cases/{case.pk}/plan/print.pdf']")
    pdf = download_info.value
    assert pdf.suggested_filename == f"integrationsplan-{case.pk}-v1.pdf"
    with open(pdf.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"

    # Close the case with the ESF exit questionnaire.
    bpage.goto(f"/cases/{case.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/close/']")
    page.fill("#id_exit_date", _day())
    page.select_option("#id_exit_reason", "early_training")
    page.fill("#id_situation-0-date", _day())
    page.select_option("#id_situation-0-kind", "apprenticeship")
    page.fill("#id_status_collected_on", _day())
    page.check("#id_qualification_gained_1")  # no
    assert decide_open_items(page) > 0  # the plan's steps are still open: each is decided
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=exit$"))
    expect(page.locator("table.exit-results tr", has_text="EECR04")).to_contain_text("ja")
    check_axe(page)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {
        EventKind.OPENED,
        EventKind.CONTACT,
        EventKind.ASSESSMENT,
        EventKind.PLAN,
        EventKind.CLOSED,
    } <= kinds
    page.click(f"nav.case-tabs a[href$='/cases/{case.pk}/?section=history']")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/timeline/']")
    expect(page.locator("ol.timeline li")).to_have_count(len(CaseEvent.objects.filter(case=case)))
    check_axe(page)
