"""Main flows of the issue "Trust in what exists": names in their own script, a form sent
twice, an edit over a stale version, the information sheet, closing a case with open items."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Page, Route, expect

from bruecke.cases.models import Case, Task
from bruecke.participants.models import Participant
from tests.browser.conftest import AXE, AXE_PATH, BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _search(bpage: BrowserPage, query: str) -> None:
    page = bpage.page
    bpage.goto("/participants/")
    page.fill("#id_q", query)
    with page.expect_navigation():
        page.click("form.search-form button[type=submit]")


def test_name_in_own_script_gets_a_latin_suggestion_and_is_found(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/participants/new/")
    check_axe(page)

    page.fill("#id_given_names_own_script", "فاطمة")
    page.fill("#id_family_name_own_script", "الزهراء")
    page.fill("#id_birth_date", "XX.XX.1996")
    page.select_option("#id_gender", "female")
    page.select_option("#id_nationality", "SY")
    page.fill("#id_arrival_date", "05.05.2023")
    page.select_option("#id_rs-status", "gestattung")
    page.fill("#id_rs-issued_on", "01.06.2025")
    page.fill("#id_rs-valid_until", "01.06.2027")
    bpage.submit()

    # Nothing saved; the suggested Latin spelling stands in the fields, explained next to them.
    assert not Participant.objects.filter(given_names_own_script="فاطمة").exists()
    expect(page.locator("#id_given_names")).to_have_value("Fatima")
    expect(page.locator("#id_family_name")).to_have_value("Al-Zahra")
    suggested = tr(
        "Suggested from the name in its own script. Please check it against the "
        "German documents, correct it if needed and save again."
    )
    expect(page.locator("main")).to_contain_text(suggested)
    expect(page.locator("#id_given_names")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_given_names_own_script")).to_have_attribute("dir", "auto")
    check_axe(page)

    # The counsellor corrects the family name after the documents and saves.
    page.fill("#id_family_name", "Al-Zahraa")
    bpage.submit()
    person = Participant.objects.get(given_names_own_script="فاطمة")
    assert (person.given_names, person.family_name) == ("Fatima", "Al-Zahraa")
    expect(page).to_have_url(re.compile(rf"/participants/{person.pk}/$"))
    expect(page.locator("h1")).to_have_text("Fatima Al-Zahraa")
    own = page.locator("main [dir=auto], main [dir=rtl], main bdi").filter(has_text="فاطمة الزهراء")
    expect(own.first).to_be_visible()
    check_axe(page)

    # Found by the Arabic spelling of a demo participant and by the Latin one of the new.
    _search(bpage, "محمد")
    rows = page.locator("main table tbody tr")
    expect(rows.filter(has_text="Mohammed Al-Hassan")).to_have_count(1)
    check_axe(page)
    _search(bpage, "Fatima")
    expect(rows.filter(has_text="Fatima Al-Zahraa")).to_have_count(1)
    expect(rows.filter(has_text="Fatima Al-Zahraa").locator("[dir=auto]")).to_have_text("(فاطمة الزهراء)")
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_a_create_form_sent_twice_saves_once(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    title = "Termin bei der Anerkennungsstelle vereinbaren"
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/tasks/new/")
    check_axe(page)
    page.fill("#id_title", title)
    token = page.locator("input[name=submission]").input_value()

    # The first sending reaches the server but its answer is lost (sent here in the
    # background with the same form data and token); the user then clicks "save" again.
    status = page.evaluate(
        """async () => {
            const form = document.querySelector("main form.form");
            const answer = await fetch(form.action, {method: "POST", body: new FormData(form)});
            return answer.status;
        }"""
    )
    assert status == 200
    assert Task.objects.filter(case=case, title=title).count() == 1
    bpage.submit()

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=tasks$"))
    note = tr("This form had already been saved. Nothing was saved twice.")
    expect(page.locator(".app-messages")).to_contain_text(note)
    expect(page.locator("main table", has_text=title).locator("tr", has_text=title)).to_have_count(1)
    check_axe(page)
    assert Task.objects.filter(case=case, title=title).count() == 1

    # Back in the history the browser loads the form anew and restores what was typed;
    # sent again, it is the same form: still nothing is saved twice.
    page.go_back()
    expect(page.locator("#id_title")).to_have_value(title)
    expect(page.locator("input[name=submission]")).to_have_value(token)
    check_axe(page)
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=tasks$"))
    expect(page.locator(".app-messages")).to_contain_text(note)
    assert Task.objects.filter(case=case, title=title).count() == 1
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def _second_page(bpage: BrowserPage) -> Page:
    """Another tab of the same sign-in, watched like the first (requests, errors, axe)."""
    page = bpage.page.context.new_page()
    page.on("request", lambda request: bpage.requests.append(request.url))
    page.on("pageerror", lambda error: bpage.errors.append(f"pageerror: {error}"))

    def serve_axe(route: Route) -> None:
        route.fulfill(path=str(AXE), content_type="application/javascript; charset=utf-8", status=200)

    page.route(f"{bpage.base_url}{AXE_PATH}", serve_axe)
    return page


def test_saving_over_a_newer_version_shows_the_conflict(bpage: BrowserPage) -> None:
    first = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    bpage.login("anna.berger")
    second = _second_page(bpage)
    for page in (first, second):
        page.goto(f"{bpage.base_url}/participants/{person.pk}/edit/")
        check_axe(page)

    first.fill("#id_phone", "+49 30 1111111")
    bpage.submit()
    expect(first).to_have_url(re.compile(rf"/participants/{person.pk}/$"))
    check_axe(first)

    second.fill("#id_phone", "+49 30 2222222")
    with second.expect_navigation():
        second.click("main form.form button[type=submit]")
    errors = second.locator(".form-errors")
    expect(errors).to_contain_text(
        tr(
            "Someone else has changed this record since you opened it. Your changes have "
            "not been saved. Please reload the page to see the current version."
        )
    )
    reload = errors.get_by_role("link", name=tr("Reload the current version"))
    expect(reload).to_be_visible()
    check_axe(second)
    person.refresh_from_db()
    assert person.phone == "+49 30 1111111"

    with second.expect_navigation():
        reload.click()
    expect(second.locator("#id_phone")).to_have_value("+49 30 1111111")
    expect(second.locator(".form-errors")).to_have_count(0)
    check_axe(second)
    second.close()
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_information_sheet_refused_while_a_privacy_detail_is_missing(bpage: BrowserPage) -> None:
    from bruecke.network.models import Organisation
    from bruecke.participants.info_sheet import INFO_SHEET_VERSION

    page = bpage.page
    person = Participant.objects.get(family_name="Al-Hassan")
    organisation = Organisation.objects.get(pk=person.organisation_id)
    authority = organisation.supervisory_authority
    assert authority

    # The administrator empties the supervisory authority of the organisation.
    bpage.login("martin.schulz")
    bpage.goto(f"/network/organisations/{organisation.pk}/edit/")
    check_axe(page)
    page.fill("#id_supervisory_authority", "")
    bpage.submit()
    expect(page.locator(".form-errors")).to_have_count(0)
    organisation.refresh_from_db()
    assert organisation.supervisory_authority == ""
    bpage.logout()

    # The case manager opens the sheet from the consent form: it names what is missing.
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{person.pk}/consents/new/")
    check_axe(page)
    sheet = page.locator("main a[href*='/participants/information-sheet/de/']").first
    sheet_url = sheet.get_attribute("href")
    assert sheet_url
    page.goto(bpage.base_url + sheet_url)
    expect(page.locator("h1")).to_have_text(tr("The information sheet cannot be printed yet"))
    expect(page.locator("main li")).to_have_text([tr("supervisory authority")])
    check_axe(page)

    # Filled in again, the sheet names controller, officer, authority and retention period.
    bpage.logout()
    bpage.login("martin.schulz")
    bpage.goto(f"/network/organisations/{organisation.pk}/edit/")
    page.fill("#id_supervisory_authority", authority)
    bpage.submit()
    expect(page.locator(".form-errors")).to_have_count(0)
    bpage.logout()
    bpage.login("anna.berger")
    page.goto(bpage.base_url + sheet_url)
    page.emulate_media(media="print")
    main = page.locator("main")
    expect(main).to_contain_text(tr("Who is responsible (controller)"))
    expect(main).to_contain_text(organisation.name)
    expect(main).to_contain_text(tr("Data-protection officer"))
    expect(main).to_contain_text(organisation.privacy_officer.splitlines()[0])
    expect(main).to_contain_text(tr("Where you can complain"))
    expect(main).to_contain_text(authority.splitlines()[0])
    expect(main).to_contain_text(tr("How long your data are kept"))
    expect(main).to_contain_text(str(organisation.retention_years))
    expect(main).to_contain_text(INFO_SHEET_VERSION)
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_closing_a_case_decides_every_open_task(bpage: BrowserPage) -> None:
    from bruecke.accounts.models import User
    from bruecke.cases.models import CaseStatus
    from bruecke.cases.selectors.exit import open_tasks
    from tests.browser.conftest import decide_open_items

    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    tasks = list(open_tasks(case))  # a plan step's task follows its step, decided instead
    assert len(tasks) >= 2
    handed = tasks[0]
    all_open = list(Task.objects.filter(case=case, done_on__isnull=True))
    colleague = User.objects.get(username="jonas.krause")
    today = datetime.date.today().strftime("%d.%m.%Y")
    bpage.login("anna.berger")
    bpage.goto("/cases/tasks/")
    for task in tasks:
        expect(page.locator(f"main form[action$='/cases/tasks/{task.pk}/done/']")).to_have_count(1)
    bpage.goto(f"/cases/{case.pk}/close/")
    items = page.locator("fieldset.open-items")
    for task in tasks:
        expect(items.locator(f"label[for=id_task_{task.pk}]")).to_contain_text(task.title)
    check_axe(page)

    # The exit itself is complete, but no open item is decided: each is named, nothing saved.
    page.fill("#id_exit_date", today)
    page.select_option("#id_exit_reason", "completed")
    page.fill("#id_status_collected_on", today)
    page.check("#id_qualification_gained_1")
    bpage.submit()
    for task in tasks:
        expect(page.locator(f"#id_task_{task.pk}-errors")).to_contain_text(tr("This field is required."))
        expect(page.locator(f"#id_task_{task.pk}")).to_have_attribute("aria-invalid", "true")
    check_axe(page)
    assert Case.objects.get(pk=case.pk).status != CaseStatus.CLOSED
    assert Task.objects.filter(pk__in=[t.pk for t in tasks], done_on__isnull=True).count() == len(tasks)

    # One task goes to a colleague, the rest (and any plan step) is done.
    decide_open_items(page, "done")
    page.select_option(f"#id_task_{handed.pk}", "hand_over")
    page.select_option(f"#id_task_{handed.pk}_to", str(colleague.pk))
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=exit$"))
    check_axe(page)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    handed.refresh_from_db()
    assert handed.assignee_id == colleague.pk and handed.done_on is None

    # Of the case's earlier tasks only the handed-over one is open (the exit adds the
    # follow-up survey as a new task); none of them is in Anna's tasks any more.
    still_open = Task.objects.filter(pk__in=[t.pk for t in all_open], done_on__isnull=True)
    assert list(still_open) == [handed]
    bpage.goto("/cases/tasks/")
    for task in all_open:
        expect(page.locator(f"main form[action$='/cases/tasks/{task.pk}/done/']")).to_have_count(0)
    check_axe(page)
    bpage.logout()

    bpage.login(colleague.username)
    bpage.goto("/cases/tasks/")
    expect(page.locator(f"main form[action$='/cases/tasks/{handed.pk}/done/']")).to_have_count(1)
    check_axe(page)
    assert not bpage.foreign_requests()
    assert not bpage.errors
