"""Group offers in the browser: attendance of a whole session taken with the keyboard only
(focus, Tab between participants, arrow keys and space within a row, Enter to save), and
axe on the list, the offer page and the attendance screen."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import Locator, expect

from bruecke.cases.models import Case
from bruecke.network.models import Organisation, Team
from bruecke.offers.demo.groups import TRAINING
from bruecke.offers.models import Attendance, Enrolment, GroupOffer
from bruecke.offers.services.groups import roster_enrolments
from bruecke.participants.models import Gender, Participant
from tests.browser.conftest import BrowserPage, check_axe

pytestmark = pytest.mark.browser


def _enrol_two_more(offer: GroupOffer) -> None:
    organisation = Organisation.objects.get(pk=offer.organisation_id)
    team = Team.objects.get(pk=offer.team_id or 0)
    manager = offer.created_by
    assert manager is not None
    for given in ("Dana", "Hiwa"):
        person = Participant.objects.create(
            organisation=organisation,
            team=team,
            given_names=given,
            family_name="Tastatur",
            birth_year=1996,
            gender=Gender.FEMALE,
            nationality="IQ",
        )
        case = Case.objects.create(
            organisation=organisation,
            participant=person,
            team=team,
            case_manager=manager,
            opened_on=offer.starts_on,
        )
        Enrolment.objects.create(
            offer=offer, organisation=organisation, case=case, participant=person, enrolled_on=offer.starts_on
        )


def _focused(locator: Locator) -> bool:
    return bool(locator.evaluate("e => e === document.activeElement"))


def test_take_attendance_with_the_keyboard_only(bpage: BrowserPage) -> None:
    page = bpage.page
    offer = GroupOffer.objects.get(title=TRAINING)
    _enrol_two_more(offer)
    session = offer.sessions.filter(date__gte=datetime.date.today()).earliest("date")
    roster = roster_enrolments(session)
    assert len(roster) >= 3
    bpage.login("anna.berger")
    bpage.goto("/offers/groups/")
    check_axe(page)
    bpage.goto(f"/offers/groups/{offer.pk}/")
    check_axe(page)
    bpage.goto(f"/offers/groups/sessions/{session.pk}/attendance/")
    check_axe(page)

    first = page.locator(f"#id_row_{roster[0].pk}_0")
    for _ in range(80):  # Tab from the top of the page to the first participant's row
        page.keyboard.press("Tab")
        if _focused(first):
            break
    expect(first).to_be_focused()
    page.keyboard.press("Space")  # present
    expected = {roster[0].pk: "present"}
    for enrolment in roster[1:]:
        page.keyboard.press("Tab")  # the next participant's radio group
        expect(page.locator(f"#id_row_{enrolment.pk}_0")).to_be_focused()
        page.keyboard.press("ArrowDown")  # excused (arrow keys move within the group)
        expected[enrolment.pk] = "excused"
    page.keyboard.press("ArrowDown")  # the last one: absent
    expected[roster[-1].pk] = "absent"
    page.keyboard.press("Tab")
    guests = page.locator("#id_guests")
    expect(guests).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/offers/groups/{offer.pk}/"))
    expect(page.locator(".kern-alert--success")).to_contain_text("Anwesenheit gespeichert")
    check_axe(page)

    saved = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "status"))
    assert saved == expected
    session.refresh_from_db()
    assert session.guests == 2
