"""Main flow of the rules issue: from the participant page ask whether the person may
take up an activity on a date, correct a fact, read the answer (axe on every step)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, assert_no_horizontal_scrolling, check_axe

pytestmark = pytest.mark.browser


def show_facts(page: Page) -> None:
    """The facts fold away below an answer: open them as a user would."""
    facts = page.locator("#question-facts")
    if facts.get_attribute("open") is None:
        facts.locator("summary").click()
    expect(page.locator("#id_status")).to_be_visible()


def test_ask_a_question_and_read_the_answer(bpage: BrowserPage) -> None:
    page = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{person.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href$='/rules/participant/{person.pk}/']")
    check_axe(page)
    # From the record (§ 25(2) refugee protection): allowed by law.
    expect(page.locator("[data-testid=verdict-headline]")).to_have_text(
        "Ja, ohne Erlaubnis (gesetzlich erlaubt)"
    )

    # The verdict comes first, then the next step and the reasons; the details fold away.
    verdict = page.locator("[data-testid=verdict]")
    next_step = page.locator("[data-testid=next-step]")
    reasons = page.locator("#answer-reasons")
    assert verdict.bounding_box()["y"] < next_step.bounding_box()["y"] < reasons.bounding_box()["y"]  # type: ignore[index]
    expect(reasons.locator("cite").first).to_be_visible()
    details = page.locator("#answer-details")
    expect(details).not_to_have_attribute("open", "")
    details.locator("summary").click()
    expect(details.locator("[data-testid=outcome]")).to_contain_text("Kraft Gesetzes erlaubt")

    # Correct the facts for the question: a Duldung since 1 Apr 2024, asked for 1 May 2024.
    show_facts(page)
    page.select_option("#id_activity", "employment")
    page.fill("#id_on", "01.05.2024")
    page.select_option("#id_status", "duldung_60a")
    page.fill("#id_status_since", "01.04.2024")
    page.fill("#id_stay_since", "01.04.2024")
    page.fill("#id_asylum_applied_on", "01.04.2024")
    page.select_option("#id_asylum_outcome", "rejected")
    bpage.submit()
    check_axe(page)
    # Whether the person must live in a reception centre is not known: both answers are shown.
    expect(page.locator("[data-testid=verdict-headline]")).to_have_text("Offen – hängt von 1 Frage ab")
    expect(page.locator("#answer")).to_contain_text("Wenn ja:")
    expect(page.locator("#answer")).to_contain_text("Wenn nein:")
    show_facts(page)
    page.select_option("#id_reception_centre", "no")
    bpage.submit()
    expect(page.locator("[data-testid=verdict-headline]")).to_have_text(
        "Noch nicht – frühestens ab 01.07.2024"
    )
    expect(page.locator("[data-testid=next-step]")).to_contain_text("01.07.2024")
    expect(page.locator("#answer")).to_contain_text("§ 60a Abs. 5b AufenthG")
    expect(page.locator("main")).to_contain_text("keine Rechtsberatung")
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_rule_overview_for_a_date(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/rules/overview/?on=2026-08-01")
    check_axe(page)
    expect(page.locator("caption")).to_contain_text("01.08.2026")
    expect(page.locator("main")).to_contain_text("§ 61 Abs. 1 AsylG")


def test_historic_question_with_the_priority_check(bpage: BrowserPage) -> None:
    """A file from 2016: the answer depends on the employment-agency district."""
    page = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/rules/participant/{person.pk}/")
    show_facts(page)
    page.select_option("#id_activity", "employment")
    page.fill("#id_on", "01.09.2016")
    page.select_option("#id_status", "duldung_60a")
    page.fill("#id_status_since", "01.01.2016")
    page.fill("#id_stay_since", "01.01.2016")
    page.select_option("#id_asylum_outcome", "rejected")
    page.select_option("#id_workplace_district", "by_muenchen")
    page.select_option("#id_reception_centre", "no")
    bpage.submit()
    check_axe(page)
    expect(page.locator("[data-testid=verdict-headline]")).to_contain_text("Ja, mit Erlaubnis")
    expect(page.locator("[data-testid=next-step]")).to_contain_text("Vorrangprüfung")
    page.locator("#answer-details summary").click()
    expect(page.locator("[data-testid=priority]")).to_contain_text("ja")
    expect(page.locator("#answer")).to_contain_text("Anlage zu § 32 BeschV")
    show_facts(page)
    page.select_option("#id_workplace_district", "other")
    bpage.submit()
    page.locator("#answer-details summary").click()
    expect(page.locator("[data-testid=priority]")).to_have_text("nein")
    assert not bpage.errors


def test_navigation_leads_to_the_overview(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/")
    with page.expect_navigation():
        page.click("nav a[href='/rules/overview/']")
    page.fill("#id_on", "2018-06-01")
    bpage.submit("main form.inline-form")
    check_axe(page)
    expect(page.locator("main")).to_contain_text("§ 4 Abs. 2 AufenthG a.F.")


@pytest.mark.parametrize("size", [(1280, 800), (800, 1280)])
def test_the_first_screen_answers_the_question(bpage: BrowserPage, size: tuple[int, int]) -> None:
    """At 1280×800 and on a tablet (800×1280) the verdict is on the first screen, without
    horizontal scrolling."""
    page = bpage.page
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/rules/participant/{person.pk}/")
    headline = page.locator("[data-testid=verdict-headline]")
    expect(headline).to_contain_text("Ja, ohne Erlaubnis")
    box = headline.bounding_box()
    assert box is not None and box["y"] + box["height"] <= height
    next_steps = page.locator("[data-testid=next-steps]").bounding_box()
    assert next_steps is not None and next_steps["y"] < height
    assert_no_horizontal_scrolling(page)
    check_axe(page)
    assert not bpage.errors


def test_either_or_question_print_and_notes(bpage: BrowserPage) -> None:
    """An orientation internship during a Duldung: the either/or question is two named
    options; the printable summary is posted from the same form; the administrator's note
    on the office appears in the next step (axe on every page)."""
    page = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("martin.schulz")  # administrator of the person's organisation
    bpage.goto("/rules/notes/")
    check_axe(page)
    with page.expect_navigation():
        page.locator("main a[href$='/abh/']").first.click()
    check_axe(page)
    page.fill("#id_contact", "Ausländerbehörde, Zimmer 12, Di und Do 9–12 Uhr")
    page.fill("#id_duration", "etwa 3 Wochen")
    bpage.submit()
    expect(page.locator("main")).to_contain_text("Zimmer 12")

    bpage.login("anna.berger")
    bpage.goto(f"/rules/participant/{person.pk}/")
    show_facts(page)
    page.select_option("#id_activity", "internship_orientation")
    page.fill("#id_on", "01.05.2024")
    page.select_option("#id_status", "duldung_60a")
    page.fill("#id_status_since", "01.01.2022")
    page.fill("#id_stay_since", "01.06.2021")
    page.select_option("#id_asylum_outcome", "rejected")
    bpage.submit()
    check_axe(page)
    expect(page.locator("[data-testid=next-step]")).to_contain_text("Zimmer 12")
    expect(page.locator("[data-testid=next-step]")).to_contain_text("etwa 3 Wochen")
    page.get_by_label("Produktive Arbeit (gilt als Beschäftigung)").check()
    bpage.submit()
    expect(page.locator("[data-testid=next-step]")).to_contain_text("Was die BA prüft")
    with page.expect_navigation():
        page.click("[data-testid=print-summary]")
    assert page.url.endswith(f"/rules/participant/{person.pk}/print/")  # the facts are not in the URL
    check_axe(page)
    expect(page.locator("h1")).to_have_text("Arbeitserlaubnis: Zusammenfassung")
    expect(page.locator("main")).to_contain_text("Verwendete Angaben")
    expect(page.locator("main")).to_contain_text("keine Rechtsberatung")
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_the_printed_summary_fits_one_a4_page(bpage: BrowserPage) -> None:
    """A typical answer (a Duldung, employment with the Ausländerbehörde's permission and BA
    approval, open questions) prints on one A4 page."""
    page = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("anna.berger")
    bpage.goto(f"/rules/participant/{person.pk}/")
    show_facts(page)
    page.fill("#id_on", "01.05.2024")
    page.select_option("#id_status", "duldung_60a")
    page.fill("#id_status_since", "01.01.2022")
    page.fill("#id_stay_since", "01.06.2021")
    page.fill("#id_asylum_applied_on", "01.06.2021")
    page.select_option("#id_asylum_outcome", "rejected")
    with page.expect_navigation():
        page.click("[data-testid=print-summary]")
    expect(page.locator("main")).to_contain_text("Was die BA prüft")
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf)
    assert len(pages) == 1, f"{len(pages)} pages"
