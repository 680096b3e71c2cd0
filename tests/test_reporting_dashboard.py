"""The reporting dashboard: each figure on hand-built data, scopes, access, the coordinator
seeing no names, the export builder and query counts that do not grow with the data."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.cases.models import Assessment, AssessmentItem, BarrierType, Case, Contact, Severity
from bruecke.esf.exit_models import ExitReason, ExitRecord
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import Project
from bruecke.reporting.charts import ChartData
from bruecke.reporting.dashboard import checked_choice, panels
from bruecke.reporting.registry import build_report

URL = reverse("reporting:dashboard")
TODAY = datetime.date(2026, 12, 6)
START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)


def leaked_names(html: str) -> list[str]:
    """Participants' family names that appear as words in `html`."""
    names = set(Participant.objects.values_list("family_name", flat=True))
    return [name for name in names if name and re.search(rf"\b{re.escape(name)}\b", html)]


def _project(demo: DemoNetwork) -> Project:
    return Project.objects.get(network=demo.network, name="NAF MV plus")


def _params(
    demo: DemoNetwork, scope: str = "", start: datetime.date = START, end: datetime.date = END
) -> dict[str, Any]:
    return {
        "project": str(_project(demo).pk),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "scope": scope or f"network-{demo.network.pk}",
    }


def _figures(user: User, params: dict[str, Any]) -> dict[str, ChartData]:
    form, choice = checked_choice(user, params)
    assert choice is not None, form.errors
    return {panel.key: panel.data for panel in panels(user, choice, TODAY)}


def _value(data: ChartData, category: str, series: int = 0) -> int:
    if category not in data.categories:
        return 0
    return data.series[series].values[data.categories.index(category)]


def _participant(
    demo: DemoNetwork, partner: str, team: str, entered: datetime.date, name: str = "Testperson"
) -> Participant:
    return Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        project=_project(demo),
        given_names="Dashboard",
        family_name=name,
        birth_year=1990,
        gender=Gender.FEMALE,
        nationality="SY",
        entry_date=entered,
    )


def _case(demo: DemoNetwork, partner: str, team: str, manager: str, entered: datetime.date) -> Case:
    return Case.objects.create(
        organisation=demo.partners[partner],
        participant=_participant(demo, partner, team, entered),
        team=demo.teams[team],
        case_manager=demo.users[manager],
        opened_on=entered,
    )


def _exit(case: Case, on: datetime.date) -> ExitRecord:
    return ExitRecord.objects.create(
        organisation=case.organisation,
        case=case,
        participant=case.participant,
        exit_date=on,
        exit_reason=ExitReason.COMPLETED,
    )


def test_entries_and_exits_per_month_region_and_partner(demo: DemoNetwork) -> None:
    coordinator = demo.users["coordinator"]
    before = _figures(coordinator, _params(demo))
    a = _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 2, 10))
    _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 2, 28))
    b = _case(demo, "B", "Greifswald", "cm_b", datetime.date(2026, 5, 1))
    _case(demo, "B", "Greifswald", "cm_b", datetime.date(2026, 7, 1))  # after the period
    _exit(a, datetime.date(2026, 5, 20))
    _exit(b, datetime.date(2026, 5, 31))
    after = _figures(coordinator, _params(demo))
    month, before_month = after["flow-month"], before["flow-month"]
    assert month.categories[0] == "01/2026" and month.categories[-1] == "06/2026"
    assert _value(month, "02/2026") - _value(before_month, "02/2026") == 2
    assert _value(month, "05/2026") - _value(before_month, "05/2026") == 1
    assert _value(month, "05/2026", 1) - _value(before_month, "05/2026", 1) == 2
    assert _value(month, "07/2026") == 0
    rostock = demo.teams["Rostock"].region or "Keine Region"
    assert _value(after["flow-region"], rostock) - _value(before["flow-region"], rostock) == 2
    partner_a = demo.partners["A"].name
    assert _value(after["flow-partner"], partner_a) - _value(before["flow-partner"], partner_a) == 2
    assert _value(after["flow-partner"], partner_a, 1) - _value(before["flow-partner"], partner_a, 1) == 1


def test_participants_of_another_project_are_not_counted(demo: DemoNetwork) -> None:
    coordinator = demo.users["coordinator"]
    before = _figures(coordinator, _params(demo))["flow-month"].total
    other = Project.objects.create(
        network=demo.network, name="Anderes Projekt", esf_variant=_project(demo).esf_variant, starts_on=START
    )
    participant = _participant(demo, "A", "Rostock", datetime.date(2026, 3, 3))
    Participant.objects.filter(pk=participant.pk).update(project=other)
    assert _figures(coordinator, _params(demo))["flow-month"].total == before


def test_narrowing_the_scope_or_the_period_never_increases_a_count(demo: DemoNetwork) -> None:
    coordinator = demo.users["coordinator"]
    for day, partner, team in [(3, "A", "Rostock"), (40, "A", "Schwerin"), (90, "B", "Greifswald")]:
        case = _case(
            demo, partner, team, "cm_a" if partner == "A" else "cm_b", START + datetime.timedelta(days=day)
        )
        Contact.objects.create(
            case=case, date=case.opened_on, duration_minutes=30, recorded_by=case.case_manager
        )
    network = _figures(coordinator, _params(demo))
    narrower = [
        _params(demo, f"org-{demo.partners['A'].pk}"),
        _params(demo, f"team-{demo.teams['Rostock'].pk}"),
        _params(demo, end=datetime.date(2026, 3, 31)),
    ]
    for params in narrower:
        narrow = _figures(coordinator, params)
        for key, data in narrow.items():
            assert data.total <= network[key].total, (key, params)


def test_barriers_count_the_first_and_the_latest_assessment_above_none(demo: DemoNetwork) -> None:
    team_lead = demo.users["team_lead"]
    params = _params(demo, f"team-{demo.teams['Rostock'].pk}")
    language, childcare = BarrierType.objects.order_by("pk")[:2]
    before = _figures(team_lead, params)["barriers"]
    case = _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 1, 5))
    first = Assessment.objects.create(
        case=case, assessed_on=datetime.date(2026, 1, 6), assessed_by=demo.users["cm_a"]
    )
    AssessmentItem.objects.create(assessment=first, barrier=language, severity=Severity.HIGH)
    AssessmentItem.objects.create(assessment=first, barrier=childcare, severity=Severity.LOW)
    latest = Assessment.objects.create(
        case=case, assessed_on=datetime.date(2026, 4, 1), assessed_by=demo.users["cm_a"]
    )
    AssessmentItem.objects.create(assessment=latest, barrier=language, severity=Severity.LOW)
    AssessmentItem.objects.create(assessment=latest, barrier=childcare, severity=Severity.NONE)
    # After the period's end: not the latest of this period.
    later = Assessment.objects.create(
        case=case, assessed_on=datetime.date(2026, 8, 1), assessed_by=demo.users["cm_a"]
    )
    AssessmentItem.objects.create(assessment=later, barrier=childcare, severity=Severity.HIGH)
    after = _figures(team_lead, params)["barriers"]
    assert _value(after, str(language)) - _value(before, str(language)) == 1
    assert _value(after, str(language), 1) - _value(before, str(language), 1) == 1
    assert _value(after, str(childcare)) - _value(before, str(childcare)) == 1
    assert _value(after, str(childcare), 1) == _value(before, str(childcare), 1)


def test_contacts_per_partner_for_the_network_and_per_team_for_the_coordinator(demo: DemoNetwork) -> None:
    coordinator = demo.users["coordinator"]
    case = _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 2, 1))
    before_network = _figures(coordinator, _params(demo))["contacts"]
    before_partner = _figures(coordinator, _params(demo, f"org-{demo.partners['A'].pk}"))["contacts"]
    Contact.objects.create(
        case=case, date=datetime.date(2026, 2, 2), duration_minutes=30, recorded_by=demo.users["cm_a"]
    )
    network = _figures(coordinator, _params(demo))["contacts"]
    partner_a = demo.partners["A"].name
    assert _value(network, partner_a) - _value(before_network, partner_a) == 1
    partner = _figures(coordinator, _params(demo, f"org-{demo.partners['A'].pk}"))["contacts"]
    assert partner.total - before_partner.total == 1
    # The coordinator gets no per-person figures of the partner's staff: team sums only.
    anna = demo.users["cm_a"]
    assert not any(anna.last_name in category for category in partner.categories)
    assert any("Rostock" in category for category in partner.categories)


def test_the_team_lead_sees_contacts_per_staff_member_of_the_own_team(demo: DemoNetwork) -> None:
    team_lead, anna = demo.users["team_lead"], demo.users["cm_a"]
    case = _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 2, 1))
    Contact.objects.create(case=case, date=datetime.date(2026, 2, 2), duration_minutes=30, recorded_by=anna)
    contacts = _figures(team_lead, _params(demo, f"team-{demo.teams['Rostock'].pk}"))["contacts"]
    assert _value(contacts, anna.get_full_name()) >= 1
    # Another partner's staff stay summed per team.
    other = _figures(team_lead, _params(demo, f"org-{demo.partners['B'].pk}"))["contacts"]
    assert not any(demo.users["cm_b"].last_name in category for category in other.categories)


def test_the_page_shows_charts_with_tables_for_the_coordinator_without_names(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 2, 10))
    response = login("coordinator").get(URL, _params(demo))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('role="img"') == len(response.context["panels"]) == 9
    assert "<details" in body and 'class="kern-table"' in body
    assert not leaked_names(body[body.index("<main") :])


def test_the_page_defaults_to_the_first_project(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("team_lead").get(URL)
    assert response.status_code == 200 and response.context["choice"].project == _project(demo)


@pytest.mark.parametrize("key", ["cm_a", "dpo", "admin", "user_c"])
def test_others_get_404(login: Callable[[str], Client], key: str) -> None:
    assert login(key).get(URL).status_code == 404


def test_forged_scope_or_project_is_404_and_bad_periods_are_errors(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("coordinator")
    foreign = Project.objects.get(network=demo.second_network)
    assert client.get(URL, {**_params(demo), "scope": f"network-{demo.second_network.pk}"}).status_code == 404
    assert client.get(URL, {**_params(demo), "project": str(foreign.pk)}).status_code == 404
    assert client.get(URL, {**_params(demo), "project": "abc"}).status_code == 404
    assert client.get(URL, {**_params(demo), "project": "9" * 30}).status_code == 404
    assert client.get(URL, {**_params(demo), "project": "-1"}).status_code == 404
    response = client.get(URL, {**_params(demo), "end": "2026-13-45"})
    assert response.status_code == 200 and "end" in response.context["form"].errors
    response = client.get(URL, _params(demo, start=datetime.date(2020, 1, 1)))
    assert "start" in response.context["form"].errors
    response = client.get(URL, _params(demo, start=END, end=START))
    assert response.status_code == 200 and "end" in response.context["form"].errors
    assert response.context["panels"] == []
    response = client.get(URL, {**_params(demo), "start": "kein Datum"})
    assert "start" in response.context["form"].errors


def test_the_builder_returns_the_tables_and_refuses_others(demo: DemoNetwork) -> None:
    tables = build_report("dashboard", demo.users["coordinator"], _params(demo))
    assert len(tables) == 9 and tables[0].columns[0]
    with pytest.raises(Http404):
        build_report("dashboard", demo.users["cm_a"], _params(demo))
    with pytest.raises(Http404):
        build_report("dashboard", demo.users["coordinator"], {**_params(demo), "scope": "team-999999"})
    with pytest.raises(ValidationError):
        build_report("dashboard", demo.users["coordinator"], _params(demo, start=END, end=START))


def _grow(demo: DemoNetwork, n: int, barrier: BarrierType) -> None:
    for i in range(n):
        partner, team, manager = [("A", "Rostock", "cm_a"), ("B", "Greifswald", "cm_b")][i % 2]
        case = _case(demo, partner, team, manager, START + datetime.timedelta(days=i % 150))
        Contact.objects.create(
            case=case, date=case.opened_on, duration_minutes=20, recorded_by=case.case_manager
        )
        assessment = Assessment.objects.create(
            case=case, assessed_on=case.opened_on, assessed_by=case.case_manager
        )
        AssessmentItem.objects.create(assessment=assessment, barrier=barrier, severity=Severity.MEDIUM)
        _exit(case, case.opened_on + datetime.timedelta(days=10))


@pytest.mark.parametrize("scope", ["network", "team"])
def test_query_count_does_not_grow_with_the_data(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any], scope: str
) -> None:
    barrier = BarrierType.objects.earliest("pk")
    key = f"network-{demo.network.pk}" if scope == "network" else f"team-{demo.teams['Rostock'].pk}"
    client = login("team_lead")
    counts = []
    for batch in (1, 30):
        _grow(demo, batch, barrier)
        with count_queries() as ctx:
            assert client.get(URL, _params(demo, key)).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    assert counts[0] <= 30


def test_only_the_projects_partners_count_when_it_names_them(demo: DemoNetwork) -> None:
    coordinator = demo.users["coordinator"]
    _case(demo, "A", "Rostock", "cm_a", datetime.date(2026, 3, 3))
    everyone = _figures(coordinator, _params(demo))["flow-partner"]
    assert demo.partners["A"].name in everyone.categories
    _project(demo).partners.set([demo.partners["B"]])
    only_b = _figures(coordinator, _params(demo))["flow-partner"]
    assert demo.partners["A"].name not in only_b.categories and only_b.total <= everyone.total
