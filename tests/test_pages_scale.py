"""The everyday pages at scale (issue 18): the participant page, the case page, the
timeline, the caseload and "Mein Tag" run the same number of queries with little and
with much data, and still show the right rows (newest contacts first, the latest contact,
the cases without contact)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from bruecke.cases.forms.caseload import DEFAULT_WEEKS
from bruecke.cases.forms.contacts import ContactForm
from bruecke.cases.models import Case, CaseEvent, Contact, EventKind, Task, TaskSource
from bruecke.cases.selectors.cases import participant_cases
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import Measure, Referral
from tests.expectations_cases import _case
from tests.test_case_workspace import CASE_PAGE_QUERIES, PARTICIPANT_PAGE_QUERIES
from tests.test_mobile_caseload import TODAY, _bulk_cases

STALE = TODAY - datetime.timedelta(weeks=DEFAULT_WEEKS + 2)


def _contacts(case: Case, count: int, recorder: Any, newest: datetime.date = TODAY) -> list[Contact]:
    """`count` contacts, one a day back from `newest`, each with its timeline event."""
    contacts = Contact.objects.bulk_create(
        Contact(
            case=case, date=newest - datetime.timedelta(days=n), duration_minutes=20, recorded_by=recorder
        )
        for n in range(count)
    )
    CaseEvent.objects.bulk_create(
        CaseEvent(
            case=case,
            kind=EventKind.CONTACT,
            occurred_on=contact.date,
            actor=recorder,
            object_type="cases.contact",
            object_id=str(contact.pk),
        )
        for contact in contacts
    )
    return contacts


def _grow(demo: DemoNetwork, case: Case, contacts: int, cases: int) -> list[Case]:
    """More of everything the five pages read: contacts and events of the case, open cases
    of Anna Berger (half of them without contact for weeks), overdue tasks and plan steps,
    referrals waiting for feedback."""
    anna = demo.users["cm_a"]
    _contacts(case, contacts, anna)
    more = _bulk_cases(demo, cases, days=400)
    for i, other in enumerate(more):
        _contacts(other, 2, anna, newest=STALE if i % 2 else TODAY)
    Task.objects.bulk_create(
        Task(
            organisation=other.organisation,
            case=other,
            assignee=anna,
            title="Unterlagen nachreichen",
            due_on=TODAY - datetime.timedelta(days=1 + i % 3),
            source=TaskSource.PLAN_STEP if i % 2 else TaskSource.MANUAL,
        )
        for i, other in enumerate([case, *more])
    )
    measure = Measure.objects.filter(organisation=demo.partners["A"]).earliest("pk")
    Referral.objects.bulk_create(
        Referral(
            case=other,
            participant_id=other.participant_id,
            team_id=other.team_id,
            organisation_id=other.organisation_id,
            measure=measure,
            status_on=TODAY - datetime.timedelta(days=30),
            feedback_due_on=TODAY - datetime.timedelta(days=1),
            status="referred",
            created_by=anna,
        )
        for other in more
    )
    return more


def _pages(case: Case) -> dict[str, tuple[str, str]]:
    """Each page with the persona who opens it."""
    return {
        "participant page": ("cm_a", reverse("participants:detail", args=[case.participant_id])),
        "case page": ("cm_a", reverse("cases:detail", args=[case.pk])),
        "timeline": ("cm_a", reverse("cases:timeline", args=[case.pk])),
        "timeline page 2": ("cm_a", reverse("cases:timeline", args=[case.pk]) + "?page=2"),
        "caseload": ("team_lead", reverse("cases:caseload")),
        "Mein Tag": ("cm_a", reverse("core:dashboard")),
        "Mein Tag, team lead": ("team_lead", reverse("core:dashboard")),
    }


def _count(login: Callable[[str], Client], case: Case, count_queries: Callable[..., Any]) -> dict[str, int]:
    counts = {}
    for page, (persona, url) in _pages(case).items():
        client = login(persona)
        client.get(url)  # the first request of a session writes its own rows
        with count_queries() as ctx:
            assert client.get(url).status_code == 200, page
        counts[page] = ctx.count
    return counts


def test_the_pages_run_the_same_queries_with_little_and_much_data(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    _grow(demo, case, contacts=60, cases=2)  # two pages of contacts and of the timeline
    small = _count(login, case, count_queries)
    _grow(demo, case, contacts=400, cases=25)
    large = _count(login, case, count_queries)
    assert small == large
    # The constants of the case workspace stay (or go down).
    assert large["case page"] <= CASE_PAGE_QUERIES
    assert large["participant page"] <= PARTICIPANT_PAGE_QUERIES


def test_the_case_page_and_the_timeline_show_the_newest_first(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    anna = demo.users["cm_a"]
    # Two contacts on one day: the later recorded comes first (the id breaks the tie).
    older, newer = _contacts(case, 1, anna) + _contacts(case, 1, anna)
    _contacts(case, 70, anna, newest=TODAY - datetime.timedelta(days=1))
    client = login("cm_a")
    page = client.get(reverse("cases:detail", args=[case.pk])).context["page"]
    rows = list(page.object_list)
    assert [rows[0].pk, rows[1].pk] == [newer.pk, older.pk]
    assert [c.date for c in rows] == sorted((c.date for c in rows), reverse=True)
    assert page.paginator.count == case.contacts.count()
    second = client.get(reverse("cases:detail", args=[case.pk]) + "?page=2").context["page"]
    assert second.object_list[0].date <= rows[-1].date
    events = client.get(reverse("cases:timeline", args=[case.pk])).context["events"]
    keys = [(e.occurred_on, e.created_at, e.pk) for e in events]
    assert keys == sorted(keys, reverse=True)
    assert events[0].object_id in {str(newer.pk), str(older.pk)}


def test_caseload_and_mein_tag_name_the_cases_without_contact_and_their_last_contact(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    anna = demo.users["cm_a"]
    fresh, stale, never = _bulk_cases(demo, 3, days=400)
    _contacts(fresh, 3, anna)
    _contacts(stale, 5, anna, newest=STALE)
    before = {row.pk: row for row in login("team_lead").get(reverse("cases:caseload")).context["rows"]}
    response = login("cm_a").get(reverse("core:dashboard"))
    shown = {case.pk: case.last_contact for case in response.context["my_stale"]}
    assert shown[stale.pk] == STALE and shown[never.pk] is None and fresh.pk not in shown
    mine = {case.pk: case.last_contact for case in response.context["my_cases"].paginator.object_list}
    assert mine[fresh.pk] == TODAY and mine[stale.pk] == STALE
    # One more contact today: the stale case leaves the list and the figures follow.
    _contacts(stale, 1, anna)
    after = {row.pk: row for row in login("team_lead").get(reverse("cases:caseload")).context["rows"]}
    assert after[anna.pk].stale_cases == before[anna.pk].stale_cases - 1
    assert after[anna.pk].recent_contacts == before[anna.pk].recent_contacts + 1
    again = login("cm_a").get(reverse("core:dashboard")).context["my_stale"]
    assert stale.pk not in {case.pk for case in again}


def test_the_participant_page_counts_contacts_and_names_the_latest(demo: DemoNetwork) -> None:
    case = _case(demo)
    already = case.contacts.count()
    _contacts(case, 30, demo.users["cm_a"], newest=TODAY - datetime.timedelta(days=2))
    (row,) = [c for c in participant_cases(demo.users["cm_a"], case.participant_id) if c.pk == case.pk]
    assert vars(row)["contact_count"] == already + 30
    assert vars(row)["last_contact"] == max(case.contacts.values_list("date", flat=True))


def test_the_contact_form_offers_the_same_choices_and_still_checks_them(demo: DemoNetwork) -> None:
    """The form reads its sites and topics once (not through the queryset at each render)
    and renders its fixed selects once per process: same options, same validation."""
    case = _case(demo)
    form = ContactForm(case=case)
    sites: Any = form.fields["site"]
    assert [str(value) for value, _label in sites.choices][1:] == [str(s.pk) for s in sites.queryset]
    topics: Any = form.fields["topics"]
    assert topics.queryset.count() == len(list(topics.choices))
    first = str(form["channel"])
    assert first == str(ContactForm(case=case)["channel"]) and 'value="office" selected' in first
    bound = ContactForm(
        {"date": f"{TODAY:%d.%m.%Y}", "duration_minutes": "30", "channel": "phone", "topics": ["999999"]},
        case=case,
    )
    assert not bound.is_valid() and "topics" in bound.errors
    assert 'value="phone" selected' in str(bound["channel"])
