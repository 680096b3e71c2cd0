"""The activity report (Sachbericht): figures, bad choices, scopes, constant query count."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from bruecke.accounts.models import User
from bruecke.cases.models import AnonymousContact
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import MobileSite, Team
from bruecke.offers.models import AwarenessEvent, AwarenessKind
from bruecke.participants.models import Participant
from bruecke.projects.models import Project
from bruecke.reporting.demo.targets import DEMO_PROJECT
from bruecke.reporting.registry import build_report
from bruecke.reporting.tables import Table

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
URL = reverse("reporting:activity")


def _params(demo: DemoNetwork, **changes: str) -> dict[str, str]:
    project = Project.objects.get(network=demo.network, name=DEMO_PROJECT)
    return {
        "project": str(project.pk),
        "start": project.starts_on.isoformat(),
        "end": min(TODAY, project.ends_on or TODAY).isoformat(),
        "scope": f"network-{demo.network.pk}",
        **changes,
    }


def _tables(user: User, params: dict[str, str]) -> dict[str, Table]:
    with translation.override("en"):
        return {table.title: table for table in build_report("activity", user, params)}


def _cell(table: Table, row_label: str, column: int = 1) -> object:
    return next(row[column] for row in table.rows if row[0] == row_label)


def _event(demo: DemoNetwork) -> AwarenessEvent:
    return AwarenessEvent.objects.create(
        organisation=demo.partners["A"],
        title="Oase der Vielfalt",
        kind=AwarenessKind.choices[0][0],
        held_on=TODAY,
        audience=40,
    )


def _anonymous(demo: DemoNetwork) -> AnonymousContact:
    return AnonymousContact.objects.create(
        organisation=demo.partners["A"],
        site=MobileSite.objects.filter(network=demo.network).earliest("pk"),
        date=TODAY,
        duration_minutes=10,
        language="ar",
        recorded_by=demo.users["cm_a"],
    )


def test_the_page_shows_every_part_of_the_report(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("coordinator").get(URL)
    html = response.content.decode()
    assert response.status_code == 200
    for heading in [
        "Teilnehmende",
        "Beratungskontakte",
        "Verweisungen",
        "Gruppenangebote und Anwesenheit",
        "Schulungen für Partner",
        "Sensibilisierungsveranstaltungen",
        "Vermittlungen",
    ]:
        assert heading in html, heading


def test_figures_follow_the_records(persona: Callable[[str], User], demo: DemoNetwork) -> None:
    coordinator = persona("coordinator")
    before = _tables(coordinator, _params(demo))
    project = Project.objects.get(network=demo.network, name=DEMO_PROJECT)
    participants = Participant.objects.filter(project=project)
    assert (
        _cell(before["Participants"], "New (entry in the period)")
        == participants.filter(entry_date__gte=project.starts_on, entry_date__lte=TODAY).count()
    )
    _event(demo)
    _anonymous(demo)
    after = _tables(coordinator, _params(demo))
    assert _cell(after["Awareness events"], "Total") == _cell(before["Awareness events"], "Total") + 1  # type: ignore[operator]
    assert _cell(after["Awareness events"], "Total", 2) == _cell(before["Awareness events"], "Total", 2) + 40  # type: ignore[operator]
    assert _cell(after["Counselling contacts"], "Total") == _cell(before["Counselling contacts"], "Total") + 1  # type: ignore[operator]


def test_a_narrower_scope_or_period_never_counts_more(
    persona: Callable[[str], User], demo: DemoNetwork
) -> None:
    coordinator = persona("coordinator")
    _event(demo)
    network = _tables(coordinator, _params(demo))
    narrower = [
        _params(demo, scope=f"org-{demo.partners['B'].pk}"),
        _params(demo, scope=f"team-{demo.teams['Rostock'].pk}"),
        _params(demo, start=TODAY.isoformat()),
    ]
    for params in narrower:
        tables = _tables(coordinator, params)
        for title, table in tables.items():
            wider = {row[0]: row for row in network[title].rows}
            for row in table.rows:
                for cell, wide in zip(row[1:], wider[row[0]][1:], strict=True):
                    assert cell <= wide, (params, title, row)  # type: ignore[operator]


@pytest.mark.parametrize(
    "changes",
    [{"scope": "network-999999"}, {"scope": "org-abc"}, {"project": "999999"}],
)
def test_forged_choices_are_404(
    login: Callable[[str], Client], demo: DemoNetwork, changes: dict[str, str]
) -> None:
    assert login("coordinator").get(URL, _params(demo, **changes)).status_code == 404


def test_another_networks_scope_and_project_are_404(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    other_team = Team.objects.filter(network=demo.second_network).earliest("pk")
    other_project = Project.objects.filter(network=demo.second_network).earliest("pk")
    assert client.get(URL, _params(demo, scope=f"team-{other_team.pk}")).status_code == 404
    assert client.get(URL, _params(demo, project=str(other_project.pk))).status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "2025-06-01", "end": "2025-01-01"}, "end"),
        ({"start": "2020-01-01"}, "start"),
        ({"end": "2031-01-01"}, "end"),
        ({"start": "gestern"}, "start"),
        ({"end": ""}, "end"),
    ],
)
def test_bad_periods_are_refused_beside_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, changes: dict[str, str], field: str
) -> None:
    response = login("coordinator").get(URL, _params(demo, **changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not response.context["tables"]


def test_the_builder_checks_access(persona: Callable[[str], User], demo: DemoNetwork) -> None:
    with pytest.raises(Http404):
        build_report("activity", persona("cm_a"), _params(demo))
    with pytest.raises(ValidationError):
        build_report("activity", persona("team_lead"), _params(demo, start="2025-06-01", end="2025-01-01"))
    assert build_report("activity", persona("team_lead"), _params(demo))


def test_the_query_count_does_not_grow_with_the_data(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    params = _params(demo)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, params).status_code == 200
        return len(captured)

    before = queries()
    for _ in range(5):
        _event(demo)
        _anonymous(demo)
    assert queries() == before
