"""The caseload view: figures per staff member from SQL aggregates, scope, drill-down."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, Contact, Task, TaskSource
from bruecke.network.demo import DemoNetwork
from tests.test_mobile_caseload import TODAY, _bulk_cases, _open_case

CASELOAD = "/cases/caseload/"


def _line(client: Client, user: User, **params: str) -> dict[str, int]:
    response = client.get(CASELOAD, params)
    assert response.status_code == 200
    for row in response.context["rows"]:
        if row.pk == user.pk:
            return {
                name: getattr(row, name)
                for name in (
                    "open_cases",
                    "recent_contacts",
                    "stale_cases",
                    "overdue_plan_steps",
                    "overdue_tasks",
                )
            }
    return {}


def _task(demo: DemoNetwork, case: Case | None, assignee: str, days: int, **extra: Any) -> Task:
    return Task.objects.create(
        organisation=case.organisation if case else demo.partners["A"],
        case=case,
        assignee=demo.users[assignee],
        title="Schritt",
        due_on=TODAY + datetime.timedelta(days=days),
        **extra,
    )


def test_team_lead_sees_each_staff_member_of_the_team(
    login: Callable[[str], Client], demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    response = login("team_lead").get(CASELOAD)
    names = {row.username for row in response.context["rows"]}
    assert {"anna.berger", "jonas.krause", "petra.lange"} <= names
    assert "leyla.demir" not in names and "omar.haddad" not in names
    # Case managers and placement officers see only their own line.
    assert [row.username for row in login("cm_a").get(CASELOAD).context["rows"]] == ["anna.berger"]
    assert [row.username for row in login("po_a").get(CASELOAD).context["rows"]] == ["jonas.krause"]
    for key in ("coordinator", "dpo", "admin"):
        assert login(key).get(CASELOAD).status_code == 404


def test_caseload_figures(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client, anna = login("team_lead"), demo.users["cm_a"]
    before = _line(client, anna)
    stale = _open_case(demo, "cm_a", "A", "Rostock", "Ohnekontakt", days=100)
    _open_case(demo, "cm_a", "A", "Rostock", "Neufall", days=3)  # too new to count
    contacted = _open_case(demo, "cm_a", "A", "Rostock", "Mitkontakt", days=100)
    Contact.objects.create(
        case=contacted, date=TODAY - datetime.timedelta(days=2), duration_minutes=30, recorded_by=anna
    )
    Contact.objects.create(
        case=stale, date=TODAY - datetime.timedelta(days=60), duration_minutes=30, recorded_by=anna
    )
    paused = _open_case(demo, "cm_a", "A", "Rostock", "Pausiert", days=100)
    Case.objects.filter(pk=paused.pk).update(status=CaseStatus.PAUSED, pause_reason="Krankheit")
    closed = _open_case(demo, "cm_a", "A", "Rostock", "Abgeschlossen", days=100)
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    _task(demo, stale, "cm_a", -1, source=TaskSource.PLAN_STEP, source_type="cases.planstep", source_id="1")
    _task(demo, stale, "cm_a", -3)  # overdue manual task
    _task(demo, None, "cm_a", -3)  # overdue free task
    _task(
        demo, stale, "cm_a", 0, source=TaskSource.PLAN_STEP, source_type="cases.planstep", source_id="2"
    )  # today
    _task(demo, stale, "cm_a", -5, done_on=TODAY)  # done
    _task(demo, stale, "po_a", -5)  # someone else's
    after = _line(client, anna)
    assert after["open_cases"] - before["open_cases"] == 4  # stale, fresh, contacted, paused
    assert after["recent_contacts"] - before["recent_contacts"] == 1
    assert after["stale_cases"] - before["stale_cases"] == 2  # stale and paused; fresh is too new
    assert after["overdue_plan_steps"] - before["overdue_plan_steps"] == 1
    assert after["overdue_tasks"] - before["overdue_tasks"] == 3
    # Anna sees the same figures for herself.
    assert _line(login("cm_a"), anna) == after
    # With 9 weeks the case last contacted 60 days ago no longer counts as without contact.
    assert _line(client, anna, weeks="9")["stale_cases"] == after["stale_cases"] - 1


def test_other_team_and_other_partner_are_not_counted(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client, anna = login("team_lead"), demo.users["cm_a"]
    before = _line(client, anna)
    other_team = _open_case(demo, "cm_a", "A", "Schwerin", "Andereteam")
    _task(
        demo, other_team, "cm_a", -2, source=TaskSource.PLAN_STEP, source_type="cases.planstep", source_id="9"
    )
    Contact.objects.create(case=other_team, date=TODAY, duration_minutes=10, recorded_by=anna)
    other_partner = _open_case(demo, "cm_b", "B", "Greifswald", "Anderertraeger")
    _task(demo, other_partner, "cm_a", -2)
    assert _line(client, anna) == before


@pytest.mark.parametrize("weeks", ["0", "53", "-1", "sechs", "", "1e3", "6\x00"])
def test_bad_weeks_show_a_form_error(login: Callable[[str], Client], weeks: str) -> None:
    response = login("team_lead").get(CASELOAD, {"weeks": weeks})
    assert response.status_code == 200
    assert "weeks" in response.context["form"].errors
    assert response.context["weeks"] == 6


def test_cases_without_contact_are_listed(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    _open_case(demo, "cm_a", "A", "Rostock", "Ohnekontakt", days=100)
    _open_case(demo, "cm_a", "A", "Rostock", "Neufall", days=3)
    url = reverse("cases:caseload_stale", args=[demo.users["cm_a"].pk])
    response = login("team_lead").get(url, {"weeks": "6"})
    page = response.content.decode()
    assert response.status_code == 200 and "Ohnekontakt" in page and "Neufall" not in page
    count = response.context["page"].paginator.count
    overview = _line(login("team_lead"), demo.users["cm_a"])
    assert count == overview["stale_cases"]
    assert login("team_lead").get(url, {"weeks": "x"}).status_code == 200
    # Someone else's list, a stranger's or another partner's staff: 404.
    assert login("po_a").get(url).status_code == 404
    assert login("cm_b").get(url).status_code == 404
    assert (
        login("team_lead").get(reverse("cases:caseload_stale", args=[demo.users["cm_b"].pk])).status_code
        == 404
    )
    assert login("cm_a").get(reverse("cases:caseload_stale", args=[demo.users["po_a"].pk])).status_code == 404


def test_caseload_query_count_does_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client, anna = login("team_lead"), demo.users["cm_a"]
    counts, stale_counts = [], []
    url = reverse("cases:caseload_stale", args=[anna.pk])
    for batch in (2, 80):
        cases = _bulk_cases(demo, batch)
        Contact.objects.bulk_create(
            Contact(
                case=case,
                date=TODAY - datetime.timedelta(days=index % 90),
                duration_minutes=10,
                recorded_by=anna,
            )
            for case in cases
            for index in range(5)
        )
        Task.objects.bulk_create(
            Task(
                organisation=demo.partners["A"],
                case=case,
                assignee=anna,
                title="Schritt",
                due_on=TODAY - datetime.timedelta(days=1),
                source=TaskSource.PLAN_STEP,
            )
            for case in cases
        )
        with count_queries() as ctx:
            assert client.get(CASELOAD).status_code == 200
        counts.append(ctx.count)
        with count_queries() as ctx:
            assert client.get(url, {"weeks": "1"}).status_code == 200
        stale_counts.append(ctx.count)
    assert counts[0] == counts[1]
    assert stale_counts[0] == stale_counts[1]


def test_caseload_sorts_by_a_whitelisted_column(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    _bulk_cases(demo, 3, manager="po_a")
    client = login("team_lead")
    by_cases = client.get(CASELOAD, {"sort": "-open_cases"})
    rows = by_cases.context["rows"]
    assert [row.open_cases for row in rows] == sorted((row.open_cases for row in rows), reverse=True)
    page = by_cases.content.decode()
    assert 'aria-sort="descending"' in page and page.count("aria-sort=") == 1
    assert "sort=open_cases" in page  # the sorted column's link turns the order round
    assert "sort=-stale_cases" in page  # other figures sort the largest first
    by_name = client.get(CASELOAD, {"sort": "name"}).context["rows"]
    assert [(r.last_name, r.first_name) for r in by_name] == sorted(
        (r.last_name, r.first_name) for r in by_name
    )
    # Anything else (a column name, SQL) falls back to the name order; the filter keeps the sort.
    for bad in ("password", "-last_name", "open_cases;DROP", ""):
        response = client.get(CASELOAD, {"sort": bad})
        assert response.status_code == 200 and response.context["sort"] == "name"
        assert [r.pk for r in response.context["rows"]] == [r.pk for r in by_name]
    kept = client.get(CASELOAD, {"sort": "-overdue_tasks", "weeks": "4"}).content.decode()
    assert '<input type="hidden" name="sort" value="-overdue_tasks">' in kept and "weeks=4&amp;sort=" in kept


def test_caseload_totals_and_badges(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    stale = _open_case(demo, "cm_a", "A", "Rostock", "Ohnekontakt", days=100)
    response = login("team_lead").get(CASELOAD)
    rows = response.context["rows"]
    assert response.context["totals"]["stale_cases"] == sum(row.stale_cases for row in rows) > 0
    page = response.content.decode()
    stale_link = reverse("cases:caseload_stale", args=[stale.case_manager_id]) + "?weeks=6"
    assert f'<a class="kern-badge kern-badge--warning" href="{stale_link}">' in page
    # A case manager sees no team totals.
    assert 'class="figures"' not in login("cm_a").get(CASELOAD).content.decode()
