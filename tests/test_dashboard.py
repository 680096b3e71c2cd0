"""The start page ("Mein Tag"): the sections of each role, their scope, the read audit and
a query count that does not grow with the number of cases."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case, Contact, Task, TaskSource
from bruecke.cases.selectors.caseload import MY_CASES_PER_PAGE, STALE_ON_DASHBOARD
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role
from bruecke.offers.models import Measure, Referral
from bruecke.participants.models import Participant
from tests.audit_reads import reads_of
from tests.test_mobile_caseload import TODAY, _bulk_cases, _open_case

DASHBOARD = reverse("core:dashboard")


def _page(client: Client, **params: str) -> tuple[Any, str]:
    response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    body = response.content.decode()
    return response, body[body.index("<main") :]


def _task(case: Case, assignee: Any, days: int, **extra: Any) -> Task:
    return Task.objects.create(
        organisation=case.organisation,
        case=case,
        assignee=assignee,
        title="Schritt",
        due_on=TODAY + datetime.timedelta(days=days),
        **extra,
    )


def test_my_open_cases_show_the_last_contact_and_the_next_due_task(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    anna = demo.users["cm_a"]
    case = _open_case(demo, "cm_a", "A", "Rostock", "Nachschau", days=20)
    Contact.objects.create(
        case=case, date=TODAY - datetime.timedelta(days=9), duration_minutes=30, recorded_by=anna
    )
    Contact.objects.create(
        case=case, date=TODAY - datetime.timedelta(days=3), duration_minutes=30, recorded_by=anna
    )
    _task(case, anna, 5)
    _task(case, demo.users["po_a"], 2)  # someone else's task is the case's next step too
    _task(case, anna, -4, done_on=TODAY)  # done: not next
    closed = _open_case(demo, "cm_a", "A", "Rostock", "Abgeschlossen")
    Case.objects.filter(pk=closed.pk).update(status="closed", closed_on=TODAY)
    _open_case(demo, "cm_b", "B", "Greifswald", "Fremdpartner")
    _open_case(demo, "po_a", "A", "Rostock", "Kollegenfall")

    response, main = _page(login("cm_a"))
    cases = {c.participant.family_name: c for c in response.context["my_cases"]}
    assert "Nachschau" in cases and "Abgeschlossen" not in cases
    assert "Fremdpartner" not in main and "Kollegenfall" not in main
    assert cases["Nachschau"].last_contact == TODAY - datetime.timedelta(days=3)
    assert cases["Nachschau"].next_due == TODAY + datetime.timedelta(days=2)
    assert 'id="my-cases-heading"' in main
    # The cases are a read of each participant's case.
    assert reads_of("cases.case", case.pk, actor=anna)


def test_cases_of_a_placement_officer_are_their_own_and_show_the_placement_slot(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _open_case(demo, "cm_a", "A", "Rostock", "Vermittlungsfall")
    Case.objects.filter(pk=case.pk).update(placement_officer=demo.users["po_a"])
    response, main = _page(login("po_a"))
    assert case.pk in {c.pk for c in response.context["my_cases"]}
    assert 'data-slot="placement"' in main and 'data-slot="reporting"' not in main
    assert 'id="team-heading"' not in main and "incoming_transfers" not in response.context
    # The case manager does not get the placement slot.
    assert 'data-slot="placement"' not in _page(login("cm_a"))[1]


def test_my_cases_paginate(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    _bulk_cases(demo, MY_CASES_PER_PAGE + 3)
    client = login("cm_a")
    first, main = _page(client)
    total = first.context["my_cases"].paginator.count
    assert len(first.context["my_cases"]) == MY_CASES_PER_PAGE and total > MY_CASES_PER_PAGE
    assert "?cases_page=2" in main
    second, _ = _page(client, cases_page="2")
    assert len(second.context["my_cases"]) == total - MY_CASES_PER_PAGE
    assert _page(client, cases_page="x<script>")[0].context["my_cases"].number == 1


def test_my_cases_without_contact_are_capped_with_a_link_to_all(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    anna = demo.users["cm_a"]
    stale = _bulk_cases(demo, STALE_ON_DASHBOARD + 2, days=100)
    fresh = _open_case(demo, "cm_a", "A", "Rostock", "Frischkontakt")
    Contact.objects.create(case=fresh, date=TODAY, duration_minutes=10, recorded_by=anna)
    response, main = _page(login("cm_a"))
    shown = response.context["my_stale"]
    assert len(shown) == STALE_ON_DASHBOARD and response.context["my_stale_more"]
    assert fresh.pk not in {c.pk for c in shown} and {c.pk for c in shown} <= {c.pk for c in stale} | {
        c.pk for c in Case.objects.filter(case_manager=anna)
    }
    assert reverse("cases:caseload_stale", args=[anna.pk]) + "?weeks=6" in main


def test_team_lead_sees_the_team_and_its_cases_without_contact(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    stale = _open_case(demo, "cm_a", "A", "Rostock", "Teamohnekontakt", days=100)
    other_team = _open_case(demo, "cm_a", "A", "Schwerin", "Anderesteam", days=100)
    other_partner = _open_case(demo, "cm_b", "B", "Greifswald", "Anderertraeger", days=100)
    response, main = _page(login("team_lead"))
    names = {row.username for row in response.context["team_rows"]}
    assert {"anna.berger", "jonas.krause"} <= names and "leyla.demir" not in names
    team_stale = {c.pk for c in response.context["team_stale"]}
    assert stale.pk in team_stale and not {other_team.pk, other_partner.pk} & team_stale
    assert "Teamohnekontakt" in main and "Anderesteam" not in main and "Anderertraeger" not in main
    totals = response.context["team_totals"]
    assert totals["open_cases"] == sum(row.open_cases for row in response.context["team_rows"])
    assert 'data-slot="reporting"' in main and 'id="team-heading"' in main
    # The team lead's own start page sections are there as well.
    assert 'id="my-cases-heading"' in main and 'id="incoming-heading"' in main
    assert 'id="team-heading"' not in _page(login("cm_a"))[1]


def test_data_protection_officer_and_administrator_see_what_they_use(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    response, main = _page(login("dpo"))
    assert "my_cases" not in response.context and 'id="breaches-heading"' in main
    assert reverse("core:audit_log") in main and reverse("network:staff_list") not in main
    response, main = _page(login("admin"))
    assert "my_cases" not in response.context and "open_breaches" not in response.context
    assert reverse("network:staff_list") in main and reverse("network:manage") in main
    assert 'id="my-cases-heading"' not in main and "data-slot" not in main


def test_a_user_with_several_roles_sees_the_sections_of_each(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    Membership.objects.create(
        user=demo.users["admin"],
        organisation=demo.partners["A"],
        team=demo.teams["Rostock"],
        role=Role.TEAM_LEAD,
    )
    main = _page(login("admin"))[1]
    assert reverse("network:staff_list") in main
    assert 'id="team-heading"' in main and 'id="my-cases-heading"' in main and 'data-slot="reporting"' in main


def test_dashboard_query_count_does_not_grow_with_cases(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    anna = demo.users["cm_a"]
    # The placement officer's start page (with the placement section) too; its own growth
    # test with placement records is in tests/test_placement_dashboard.py.
    counts: dict[str, list[int]] = {"cm_a": [], "team_lead": [], "po_a": []}
    for batch in (2, 60):
        cases = _bulk_cases(demo, batch)
        Contact.objects.bulk_create(
            Contact(
                case=case, date=TODAY - datetime.timedelta(days=i % 80), duration_minutes=10, recorded_by=anna
            )
            for i, case in enumerate(cases)
        )
        Task.objects.bulk_create(
            Task(
                organisation=case.organisation,
                case=case,
                assignee=anna,
                title="Schritt",
                due_on=TODAY - datetime.timedelta(days=1),
                source=TaskSource.PLAN_STEP,
            )
            for case in cases
        )
        Case.objects.filter(pk__in=[case.pk for case in cases]).update(placement_officer=demo.users["po_a"])
        # The school section: school-age participants, half of them leaving school soon.
        _school_age_with_leavers(cases)
        # Overdue referrals: "Verweisungen ohne Rückmeldung" must not grow the count either.
        measure = Measure.objects.filter(organisation=demo.partners["A"]).earliest("pk")
        Referral.objects.bulk_create(
            Referral(
                case=case,
                participant_id=case.participant_id,
                team_id=case.team_id,
                organisation_id=case.organisation_id,
                measure=measure,
                status_on=TODAY - datetime.timedelta(days=30),
                feedback_due_on=TODAY - datetime.timedelta(days=1 + i % 9),
                status="referred",
                created_by=anna,
            )
            for i, case in enumerate(cases)
        )
        for key, client in (
            ("cm_a", login("cm_a")),
            ("team_lead", login("team_lead")),
            ("po_a", login("po_a")),
        ):
            with count_queries() as ctx:
                assert client.get(DASHBOARD).status_code == 200
            counts[key].append(ctx.count)
    assert counts["cm_a"][0] == counts["cm_a"][1]
    assert counts["team_lead"][0] == counts["team_lead"][1]
    assert counts["po_a"][0] == counts["po_a"][1]


def _school_age_with_leavers(cases: list[Case]) -> None:
    """Makes the participants 16 and gives every second case an enrolled school record
    that ends next month (both school lists of the start page grow with the batch)."""
    from bruecke.offers.models import EnrolmentStatus, SchoolRecord

    Participant.objects.filter(pk__in=[case.participant_id for case in cases]).update(
        birth_year=TODAY.year - 16
    )
    SchoolRecord.objects.bulk_create(
        SchoolRecord(
            organisation=case.organisation,
            case=case,
            participant_id=case.participant_id,
            team_id=case.team_id,
            status=EnrolmentStatus.ENROLLED,
            status_on=TODAY - datetime.timedelta(days=100),
            school_name="Schule",
            expected_leaving_on=TODAY + datetime.timedelta(days=30),
            created_by=case.case_manager,
        )
        for case in cases[::2]
    )
