"""The ESF indicator report page, the lists behind its numbers and the incomplete list.

Hand-built participants in a project of their own (the demo's project may hold anything):
two complete women and one complete man at partner A (team Rostock, the team lead's), one
complete woman at partner B (Greifswald) and one incomplete participation at partner A.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.esf import services as esf_services
from bruecke.esf.exit_models import SituationType
from bruecke.esf.models import LabourMarketStatus
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.projects.models import EsfVariant, Project
from tests import indicator_data
from tests.audit_reads import read_ids
from tests.conftest import QueryCounter

pytestmark = pytest.mark.django_db

START = datetime.date(2024, 1, 1)
REPORT = reverse("reporting:indicators")
PARTICIPANTS = reverse("reporting:indicator_participants")
INCOMPLETE = reverse("reporting:indicator_incomplete")


@pytest.fixture
def project(demo: DemoNetwork) -> Project:
    return Project.objects.create(
        network=demo.network, name="Testvorhaben Berichte", esf_variant=EsfVariant.ESF_PLUS, starts_on=START
    )


def _person(
    demo: DemoNetwork, project: Project, partner: str, team: str, name: str, **fields: Any
) -> Participant:
    values: dict[str, Any] = {
        "organisation": demo.partners[partner],
        "team": demo.teams[team],
        "project": project,
        "given_names": name,
        "family_name": "Indikator",
        "latin_name": f"{name} Indikator",
        "birth_year": 1990,
        "gender": Gender.FEMALE,
        "nationality": "SY",
        "entry_date": datetime.date(2024, 3, 1),
    }
    return Participant.objects.create(**{**values, **fields})


def _entry(demo: DemoNetwork, person: Participant, status: str, isced: int, actor: str = "cm_a") -> None:
    data: dict[str, Any] = {"lm_status_entry": status, "isced_level": isced}
    if status == LabourMarketStatus.UNEMPLOYED:
        data["registered_unemployed_since"] = person.entry_date - datetime.timedelta(days=30)
    esf_services.entry_record_save(actor=demo.users[actor], participant=person, data=data)


@pytest.fixture
def people(demo: DemoNetwork, project: Project) -> dict[str, Participant]:
    amira = _person(demo, project, "A", "Rostock", "Amira")
    _entry(demo, amira, LabourMarketStatus.UNEMPLOYED, 3)
    dana = _person(demo, project, "A", "Rostock", "Dana", entry_date=datetime.date(2024, 4, 2))
    _entry(demo, dana, LabourMarketStatus.INACTIVE, 2)
    karim = _person(demo, project, "A", "Rostock", "Karim", gender=Gender.MALE)
    _entry(demo, karim, LabourMarketStatus.EMPLOYED, 6)
    berit = _person(demo, project, "B", "Greifswald", "Berit")
    _entry(demo, berit, LabourMarketStatus.UNEMPLOYED, 2, actor="cm_b")
    ivo = _person(demo, project, "A", "Rostock", "Ivo", gender=Gender.MALE)  # no entry record
    return {"amira": amira, "dana": dana, "karim": karim, "berit": berit, "ivo": ivo}


def _choice(chosen: Project, demo: DemoNetwork, /, **overrides: str) -> dict[str, str]:
    values = {
        "project": str(chosen.pk),
        "start": START.isoformat(),
        "end": "2024-12-31",
        "scope": f"network-{demo.network.pk}",
    }
    return {**values, **overrides}


def _get(client: Client, url: str, params: dict[str, str]) -> Any:
    return client.get(f"{url}?{urlencode(params)}")


def _html(response: Any) -> str:
    return str(response.content.decode())


def _cell(html: str, code: str) -> list[str]:
    """The four breakdown cells (text, links stripped) of indicator `code`."""
    row = re.search(rf"<td class=\"kern-table__cell\">{code}</td>(.*?)</tr>", html, re.S)
    assert row, code
    cells = re.findall(r"kern-table__cell--numeric\">(.*?)</td>", row.group(1), re.S)
    return [
        re.sub(r"<span class=\"kern-sr-only\">.*?</span>|<[^>]+>", "", cell).strip() for cell in cells[:4]
    ]


# --- the report page ---


def test_report_opens_with_the_default_choice(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    response = login("team_lead").get(REPORT)
    assert response.status_code == 200
    html = _html(response)
    assert 'name="project"' in html and 'name="scope"' in html
    assert "EECO01" in html or "CO01" in html  # the first project's report is shown
    # The default choice is the page's query (the export buttons read it from there).
    first = Project.objects.filter(network=demo.network).order_by("name").first()
    assert first is not None
    assert response.wsgi_request.GET["project"] == str(first.pk)
    assert response.wsgi_request.GET["scope"] == f"network-{demo.network.pk}"


def test_report_counts_complete_participations_by_gender(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    html = _html(_get(login("team_lead"), REPORT, _choice(project, demo)))
    assert _cell(html, "EECO01") == ["4", "3", "1", "0"]
    assert _cell(html, "EECO02") == ["2", "2", "0", "0"]
    assert _cell(html, "EECO05") == ["1", "0", "1", "0"]
    assert "Eine Teilnahme" in html or "1 Teilnahme" in html  # Ivo: incomplete, in no indicator
    assert INCOMPLETE in html


def test_report_names_the_rules_used(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    html = _html(_get(login("coordinator"), REPORT, _choice(project, demo)))
    assert "ESF Plus 2021–2027" in html
    assert "Plausibilitätsprüfungen" in html
    assert "erfüllt" in html  # the checks' results are words, not only colours


def test_numbers_are_links_for_the_team_lead(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    html = _html(_get(login("team_lead"), REPORT, _choice(project, demo)))
    query = urlencode(_choice(project, demo, code="EECO02", breakdown="women")).replace("&", "&amp;")
    link = f"{PARTICIPANTS}?{query}"
    assert link in html


def test_coordinator_sees_plain_numbers_and_why(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    html = _html(_get(login("coordinator"), REPORT, _choice(project, demo)))
    assert _cell(html, "EECO01") == ["4", "3", "1", "0"]
    assert PARTICIPANTS not in html and INCOMPLETE not in html
    assert "Namen werden nicht angezeigt" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end": "2023-12-31", "start": "2024-06-01"}, "end", "vor"),
        ({"start": "2023-06-01"}, "start", "vor dem Projektbeginn"),
        ({"start": "kein Datum"}, "start", "gültiges Datum"),
        ({"project": "abc"}, "project", "gültige Auswahl"),
        ({"end": ""}, "end", "erforderlich"),
    ],
)
def test_invalid_choice_shows_the_form_with_errors_and_no_report(
    overrides: dict[str, str],
    field: str,
    message: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
) -> None:
    response = _get(login("team_lead"), REPORT, _choice(project, demo, **overrides))
    assert response.status_code == 200
    html = _html(response)
    errors = re.search(rf'id="id_{field}-errors".*?</div>', html, re.S)
    assert errors and message in errors.group(0), html[:0]
    assert "EECO01" not in html


def test_period_after_the_project_end_is_refused(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    project.ends_on = datetime.date(2024, 6, 30)
    project.save(update_fields=["ends_on"])
    html = _html(_get(login("team_lead"), REPORT, _choice(project, demo)))
    assert "nach dem Projektende" in html and "EECO01" not in html


@pytest.mark.parametrize("url", [REPORT, PARTICIPANTS, INCOMPLETE])
@pytest.mark.parametrize("scope", ["second", "team-999999", "bogus"])
def test_forged_scope_is_404(
    url: str, scope: str, login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    key = f"network-{demo.second_network.pk}" if scope == "second" else scope
    assert _get(login("team_lead"), url, _choice(project, demo, scope=key)).status_code == 404


@pytest.mark.parametrize("url", [REPORT, PARTICIPANTS, INCOMPLETE])
@pytest.mark.parametrize("project_id", ["99999999999999999999999", "0", "-1"])
def test_absurd_project_ids_are_404_or_an_error_never_a_crash(
    url: str, project_id: str, login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    response = _get(login("team_lead"), url, _choice(project, demo, project=project_id))
    expected = {404} if url != REPORT or project_id != "-1" else {200}
    assert response.status_code in expected


def test_huge_page_number_shows_the_last_page(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    params = _choice(project, demo, code="EECO01", breakdown="total", page="999999999999999999999")
    response = _get(login("team_lead"), PARTICIPANTS, params)
    assert response.status_code == 200 and "Amira Indikator" in _html(response)


def test_project_of_another_network_is_404(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    foreign = Project.objects.create(
        network=demo.second_network, name="Fremdes Vorhaben", esf_variant=EsfVariant.ESF_PLUS, starts_on=START
    )
    response = _get(login("team_lead"), REPORT, _choice(foreign, demo))
    assert response.status_code == 404
    assert "Fremdes Vorhaben" not in _html(response)


@pytest.mark.parametrize("who", ["cm_a", "dpo", "admin", "user_c"])
def test_staff_without_aggregates_get_404(
    who: str, login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    for url in (REPORT, PARTICIPANTS, INCOMPLETE):
        assert _get(login(who), url, _choice(project, demo)).status_code == 404


def test_report_query_count_does_not_grow_with_the_participants(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
    people: dict[str, Participant],
    count_queries: Callable[[], QueryCounter],
) -> None:
    client = login("team_lead")
    params = _choice(project, demo)
    _get(client, REPORT, params)  # warm caches (session, translations)
    with count_queries() as few:
        assert _get(client, REPORT, params).status_code == 200
    for index in range(12):
        person = _person(demo, project, "A", "Rostock", f"Mehr{index}", gender=Gender.MALE)
        _entry(demo, person, LabourMarketStatus.INACTIVE, index % 8)
    with count_queries() as many:
        html = _html(_get(client, REPORT, params))
    assert _cell(html, "EECO01")[0] == "16"
    assert many.count == few.count


# --- the lists behind the numbers ---


def test_drill_down_lists_exactly_the_participants_behind_the_number(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    response = _get(
        login("team_lead"), PARTICIPANTS, _choice(project, demo, code="EECO02", breakdown="women")
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Amira Indikator" in html
    # Berit (partner B) is counted but not the team lead's to see; the others are not behind it.
    for name in ("Berit", "Dana", "Karim", "Ivo"):
        assert f"{name} Indikator" not in html
    assert "1 von 2" in html and "nicht sehen" in html


def test_drill_down_records_the_read_of_every_listed_participant(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    _get(login("team_lead"), PARTICIPANTS, _choice(project, demo, code="EECO01", breakdown="total"))
    read = read_ids("participants.participant", actor=demo.users["team_lead"])
    assert {str(people[key].pk) for key in ("amira", "dana", "karim")} <= read
    assert str(people["berit"].pk) not in read


def test_drill_down_query_count_does_not_grow_with_the_list(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
    people: dict[str, Participant],
    count_queries: Callable[[], QueryCounter],
) -> None:
    client = login("team_lead")
    params = _choice(project, demo, code="EECO01", breakdown="total")
    _get(client, PARTICIPANTS, params)
    with count_queries() as few:
        _get(client, PARTICIPANTS, params)
    for index in range(8):
        person = _person(demo, project, "A", "Rostock", f"Mehr{index}")
        _entry(demo, person, LabourMarketStatus.INACTIVE, 1)
    with count_queries() as many:
        assert "Mehr7 Indikator" in _html(_get(client, PARTICIPANTS, params))
    assert many.count == few.count


@pytest.mark.parametrize("who", ["coordinator", "cm_a"])
def test_drill_down_is_404_for_the_coordinator_and_case_managers(
    who: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
    people: dict[str, Participant],
) -> None:
    params = _choice(project, demo, code="EECO02", breakdown="women")
    for url in (PARTICIPANTS, INCOMPLETE):
        response = _get(login(who), url, params)
        assert response.status_code == 404
        assert "Amira" not in _html(response)


@pytest.mark.parametrize(
    "overrides",
    [
        {"code": "EECO99"},
        {"code": "<script>"},
        {"breakdown": "children"},
        {"end": "2023-01-01"},
        {"project": "abc"},
    ],
)
def test_drill_down_with_an_unknown_code_breakdown_or_bad_choice_is_404(
    overrides: dict[str, str], login: Callable[[str], Client], demo: DemoNetwork, project: Project
) -> None:
    params = {**_choice(project, demo, code="EECO01", breakdown="total"), **overrides}
    assert _get(login("team_lead"), PARTICIPANTS, params).status_code == 404


def test_incomplete_list_names_what_is_missing_and_links_the_questionnaire(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    response = _get(login("team_lead"), INCOMPLETE, _choice(project, demo))
    assert response.status_code == 200
    html = _html(response)
    assert "Ivo Indikator" in html and "Amira Indikator" not in html
    assert "Bildungsstand" in html or "ISCED" in html
    assert reverse("esf:entry", args=[people["ivo"].pk]) in html


def test_esf_2014_project_reports_the_older_set_and_its_grand_total_drills_down(
    login: Callable[[str], Client], demo: DemoNetwork, project: Project, people: dict[str, Participant]
) -> None:
    project.esf_variant = EsfVariant.ESF_2014
    project.save(update_fields=["esf_variant"])
    client = login("team_lead")
    html = _html(_get(client, REPORT, _choice(project, demo)))
    assert "ESF 2014–2020" in html
    assert _cell(html, "CO01") == ["2", "2", "0", "0"]
    assert "EECO01" not in html
    first = re.search(r"<td class=\"kern-table__cell\">(\w+)</td>", html)
    assert first
    # The grand total (2014–2020) includes the incomplete participation: Ivo is listed.
    listed = _html(_get(client, PARTICIPANTS, _choice(project, demo, code=first.group(1), breakdown="total")))
    assert "Ivo Indikator" in listed and "Amira Indikator" in listed


def test_result_numbers_open_the_leavers_behind_them_with_their_exit(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    project = indicator_data.make_project(demo)
    hired = indicator_data.person(demo, project, entry=datetime.date(2024, 2, 1))
    # Job first, then registered unemployed on day 10: the last situation decides (EECR01).
    relapsed = indicator_data.person(demo, project, entry=datetime.date(2024, 2, 1))
    indicator_data.leave(demo, hired, datetime.date(2024, 6, 3), situations=[(5, SituationType.EMPLOYED)])
    indicator_data.leave(
        demo,
        relapsed,
        datetime.date(2024, 6, 3),
        situations=[(2, SituationType.EMPLOYED), (10, SituationType.UNEMPLOYED_REGISTERED)],
    )
    client = login("team_lead")
    params = _choice(project, demo, start="2024-01-01", end="2024-12-31")
    html = _html(_get(client, REPORT, params))
    assert _cell(html, "EECR04") == ["1", "1", "0", "0"]
    assert _cell(html, "EECR01") == ["1", "1", "0", "0"]
    listed = _html(_get(client, PARTICIPANTS, {**params, "code": "EECR04", "breakdown": "women"}))
    assert hired.family_name in listed and relapsed.family_name not in listed
    assert "03.06.2024" in listed  # the exit column


def test_incomplete_list_query_count_does_not_grow_with_the_list(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
    people: dict[str, Participant],
    count_queries: Callable[[], QueryCounter],
) -> None:
    client = login("team_lead")
    params = _choice(project, demo)
    _get(client, INCOMPLETE, params)
    with count_queries() as few:
        _get(client, INCOMPLETE, params)
    for index in range(6):
        _person(demo, project, "A", "Rostock", f"Offen{index}")  # no entry record: incomplete
    with count_queries() as many:
        assert "Offen5 Indikator" in _html(_get(client, INCOMPLETE, params))
    assert many.count == few.count


@pytest.mark.parametrize("url", [REPORT, PARTICIPANTS, INCOMPLETE])
@pytest.mark.parametrize(("start", "end"), [("2024-01-01", "9999-12-31"), ("0001-01-01", "2024-12-31")])
def test_absurd_dates_never_cause_a_server_error(
    url: str,
    start: str,
    end: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    project: Project,
    people: dict[str, Participant],
) -> None:
    params = _choice(project, demo, start=start, end=end, code="EECR05", breakdown="total")
    assert _get(login("team_lead"), url, params).status_code in {200, 404}
