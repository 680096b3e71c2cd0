""" "Mein Tag" for users with figures: the coordinator's start page shows the network's key
figures and a chart without any name, the team lead's slot shows the team's figures, and
the page's query count stays bounded."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.cases.models import Case, Contact
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import Project
from tests.test_reporting_dashboard import leaked_names

DASHBOARD = reverse("core:dashboard")


def _case(demo: DemoNetwork, partner: str, team: str, manager: str) -> Case:
    today = timezone.localdate()
    participant = Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        project=Project.objects.get(network=demo.network, name="NAF MV plus"),
        given_names="Start",
        family_name="Seitentest",
        birth_year=1991,
        gender=Gender.MALE,
        nationality="AF",
        entry_date=today,
    )
    case = Case.objects.create(
        organisation=demo.partners[partner],
        participant=participant,
        team=demo.teams[team],
        case_manager=demo.users[manager],
        opened_on=today,
    )
    Contact.objects.create(case=case, date=today, duration_minutes=15, recorded_by=demo.users[manager])
    return case


def test_the_coordinator_sees_the_network_figures_without_names(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    before = client.get(DASHBOARD).context["reporting"]
    _case(demo, "B", "Greifswald", "cm_b")
    response = client.get(DASHBOARD)
    body = response.content.decode()
    figures = response.context["reporting"]
    assert figures["scope"].kind == "network"
    assert figures["entries"] == before["entries"] + 1 and figures["contacts"] == before["contacts"] + 1
    assert 'data-slot="reporting"' in body and 'id="reporting-key-figures"' in body
    assert 'role="img"' in body and reverse("reporting:dashboard") in body
    main = body[body.index("<main") :]
    assert not leaked_names(main)
    assert "Seitentest" not in main


def test_the_team_lead_sees_the_team_only(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("team_lead")
    before = client.get(DASHBOARD).context["reporting"]
    assert before["scope"].key == f"team-{demo.teams['Rostock'].pk}"
    _case(demo, "B", "Greifswald", "cm_b")
    assert client.get(DASHBOARD).context["reporting"]["entries"] == before["entries"]
    _case(demo, "A", "Rostock", "cm_a")
    assert client.get(DASHBOARD).context["reporting"]["entries"] == before["entries"] + 1


def test_others_have_no_reporting_section(login: Callable[[str], Client]) -> None:
    for key in ("cm_a", "po_a", "dpo", "admin"):
        response = login(key).get(DASHBOARD)
        assert (
            "reporting" not in response.context and 'data-slot="reporting"' not in response.content.decode()
        )


def test_the_coordinators_start_page_query_count_is_bounded(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    client = login("coordinator")
    counts = []
    for batch in (1, 20):
        for i in range(batch):
            _case(demo, "AB"[i % 2], ["Rostock", "Greifswald"][i % 2], ["cm_a", "cm_b"][i % 2])
        with count_queries() as ctx:
            assert client.get(DASHBOARD).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    # Session, user, memberships and the reporting section's eight queries.
    assert counts[0] <= 20, counts


def test_the_start_period_is_this_year_inside_the_project() -> None:
    from bruecke.reporting.selectors.dashboard_start import this_year

    project = Project(starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 10, 31))
    assert this_year(project, datetime.date(2026, 12, 6)) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 10, 31),
    )
    project = Project(starts_on=datetime.date(2024, 1, 1), ends_on=None)
    assert this_year(project, datetime.date(2026, 5, 6)) == (
        datetime.date(2026, 1, 1),
        datetime.date(2026, 5, 6),
    )
