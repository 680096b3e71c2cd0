"""What the engine relies on: results stored by the exit services, citizenships frozen at
entry by the entry service and form, the LTU arithmetic, a fixed query count, the builder
and the command."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from bruecke.accounts.models import User
from bruecke.esf import exit_services, services
from bruecke.esf.exit_models import ExitRecord
from bruecke.esf.exit_services import SituationInput
from bruecke.esf.models import EntryRecord
from bruecke.esf.results import add_months
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.reporting.builders.indicators import indicators
from bruecke.reporting.indicators import compute_report
from bruecke.reporting.management.commands.esf_report import as_json
from tests.indicator_data import D, leave, make_project, open_case, person, request_for

TODAY = datetime.date.today()


# --- LTU arithmetic (§11.4) equals "entry > registration + 12 months, clamped" ------------


def _sql_rule(since: datetime.date, entry: datetime.date, months: int) -> bool:
    """The month arithmetic participations._registered_longer_than writes in SQL."""
    difference = (entry.year * 12 + entry.month) - (since.year * 12 + since.month)
    return difference > months or (difference == months and entry.day > since.day)


@settings(max_examples=300, deadline=None)
@given(
    since=st.dates(D(2000, 1, 1), D(2030, 12, 31)), days=st.integers(0, 900), months=st.sampled_from([6, 12])
)
def test_month_arithmetic_equals_clamped_add_months(since: datetime.date, days: int, months: int) -> None:
    entry = since + datetime.timedelta(days=days)
    assert _sql_rule(since, entry, months) == (entry > add_months(since, months))


# --- stored results -------------------------------------------------------------------


@pytest.mark.django_db
def test_exit_services_keep_the_stored_results_up_to_date(demo: DemoNetwork) -> None:
    project = make_project(demo)
    someone = person(demo, project, entry=TODAY - datetime.timedelta(days=400))
    case = open_case(demo, someone)
    actor = demo.users["cm_a"]
    exit_date = TODAY - datetime.timedelta(days=200)
    data = {
        "exit_date": exit_date,
        "exit_reason": "completed",
        "status_collected_on": exit_date + datetime.timedelta(days=10),
        "qualification_gained": False,
    }
    record = exit_services.exit_record_create(
        actor=actor, case=case, data=data, situations=[SituationInput(exit_date, "job_searching")]
    )
    assert ExitRecord.objects.get(pk=record.pk).result_labour_market == "EECR01"
    first = record.situations.get()
    updated = exit_services.exit_record_update(
        actor=actor,
        record=record,
        data={},
        situations=[
            SituationInput(first.date, first.kind, first.pk),
            SituationInput(exit_date + datetime.timedelta(days=5), "apprenticeship"),
        ],
        expected_version=record.version,
    )
    stored = ExitRecord.objects.get(pk=record.pk)
    assert (stored.result_labour_market, stored.result_education) == ("EECR04", True)
    reference = add_months(exit_date, 6)
    follow_up = exit_services.follow_up_create(
        actor=actor, record=updated, data={"answered_on": reference, "employed": "no_response"}
    )
    assert ExitRecord.objects.get(pk=record.pk).follow_up_result == ""
    exit_services.follow_up_update(
        actor=actor,
        follow_up=follow_up,
        data={"employed": "yes", "improvements": ["promotion"]},
        expected_version=follow_up.version,
    )
    stored = ExitRecord.objects.get(pk=record.pk)
    assert (stored.follow_up_result, stored.follow_up_improved) == ("yes", True)


# --- citizenships frozen at entry (§11.15) ---------------------------------------------------


def _entry_form(**overrides: str) -> dict[str, str]:
    return {
        "lm_status_entry": "inactive",
        "isced_level": "3",
        "rural_area": "unknown",
        "version": "0",
        **overrides,
    }


@pytest.mark.django_db
def test_entry_service_freezes_citizenships(demo: DemoNetwork) -> None:
    project = make_project(demo)
    someone = person(demo, project, record=False, citizenships="SY")
    actor = demo.users["cm_a"]
    record = services.entry_record_save(
        actor=actor, participant=someone, data={"lm_status_entry": "inactive", "isced_level": 2}
    )
    assert (record.citizenships, record.third_country_national_at_entry) == ("SY", True)
    Participant.objects.filter(pk=someone.pk).update(nationality="DE")  # naturalised later
    someone.refresh_from_db()
    record = services.entry_record_save(
        actor=actor, participant=someone, data={"isced_level": 3}, expected_version=record.version
    )
    assert (record.citizenships, record.third_country_national_at_entry) == ("SY", True)
    record = services.entry_record_save(
        actor=actor, participant=someone, data={"further_citizenships": "it"}, expected_version=record.version
    )
    assert (record.citizenships, record.third_country_national_at_entry) == ("SY IT", False)


@pytest.mark.django_db
def test_entry_form_further_citizenships(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    project = make_project(demo)
    someone = person(demo, project, record=False, citizenships="SY")
    url = reverse("esf:entry", args=[someone.pk])
    client = login("cm_a")
    for bad in ("ZZ", "SYR", "12", "DE <script>"):
        response = client.post(url, _entry_form(further_citizenships=bad))
        assert response.status_code == 400, bad
        assert not EntryRecord.objects.filter(participant=someone).exists()
    response = client.post(url, _entry_form(further_citizenships="de, xx"))
    assert response.status_code == 302
    record = EntryRecord.objects.get(participant=someone)
    assert (record.citizenships, record.third_country_national_at_entry) == ("SY DE XX", False)
    page = client.get(url).content.decode()
    assert 'value="DE XX"' in page


# --- the query count does not grow with the data ----------------------------------------------


def _people(demo: DemoNetwork, project: object, count: int) -> None:
    for number in range(count):
        someone = person(demo, project, gender=("female", "male", "diverse")[number % 3], disability="yes")  # type: ignore[arg-type]
        leave(
            demo,
            someone,
            D(2025, 6, 1),
            situations=[(1, "employed")],
            follow_ups=[(D(2025, 12, 1), "yes", True)],
        )


@pytest.mark.django_db
def test_query_count_is_the_same_for_3_and_30_participants(demo: DemoNetwork) -> None:
    counts = []
    for size in (3, 30):
        project = make_project(demo)
        _people(demo, project, size)
        with CaptureQueriesContext(connection) as queries:
            report = compute_report(request_for(demo, project, D(2025, 1, 1), D(2025, 12, 31)))
        assert report.by_code()["EECO12"].values.total == size
        assert report.by_code()["EECR05"].values.total == size
        counts.append(len(queries))
    # partners, confirmed cross-partner links, outputs, encrypted answers, results
    assert counts[0] == counts[1] <= 5, counts


# --- the builder and the command --------------------------------------------------------------


@pytest.mark.django_db
def test_builder_checks_the_choice_and_the_user(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    project = make_project(demo)
    person(demo, project)
    params = {
        "project": str(project.pk),
        "start": "2025-01-01",
        "end": "2025-12-31",
        "scope": f"network-{demo.network.pk}",
    }
    tables = indicators(persona("coordinator"), params)
    outputs = tables[0]
    assert outputs.rows[0][:3] == ["EECO01", outputs.rows[0][1], 1]
    assert [t.title for t in tables][-1]
    for user, bad in (
        (persona("cm_a"), params),  # no reporting permission
        (persona("coordinator"), {**params, "end": "2024-12-31"}),  # end before start
        (persona("coordinator"), {**params, "project": "999999"}),  # forged id
        (persona("coordinator"), {**params, "start": "kein Datum"}),
    ):
        with pytest.raises(Http404):
            indicators(user, bad)


@pytest.mark.django_db
def test_command_json_matches_compute_report(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, gender="male")
    person(demo, project, gender="not_stated")
    out = io.StringIO()
    call_command(
        "esf_report", project=str(project.pk), start="2025-01-01", end="2025-12-31", format="json", stdout=out
    )
    written = json.loads(out.getvalue())
    expected = as_json(compute_report(request_for(demo, project, D(2025, 1, 1), D(2025, 12, 31))))
    assert written == json.loads(json.dumps(expected, ensure_ascii=False))
    assert written["indicators"]["EECO01"]["men"] == 1 and written["incomplete"] == 1
    text = io.StringIO()
    call_command("esf_report", project=project.name, start="2025-01-01", end="2025-12-31", stdout=text)
    assert "EECO01" in text.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "arguments",
    [
        {"project": "999999", "start": "2025-01-01", "end": "2025-12-31"},
        {"project": "Gibt es nicht", "start": "2025-01-01", "end": "2025-12-31"},
        {"start": "2025-31-01", "end": "2025-12-31"},
        {"start": "2025-12-31", "end": "2025-01-01"},
        {"start": "2025-01-01", "end": "2025-12-31", "scope": "team-abc"},
        {"start": "2025-01-01", "end": "2025-12-31", "scope": "org-999999"},
        {"start": "2025-01-01", "end": "2025-12-31", "scope": "planet-1"},
    ],
)
def test_command_bad_arguments(demo: DemoNetwork, arguments: dict[str, str]) -> None:
    project = make_project(demo)
    with pytest.raises(CommandError):
        call_command("esf_report", **{"project": str(project.pk), **arguments}, stdout=io.StringIO())


# --- the data migrations -----------------------------------------------------------------


@pytest.mark.django_db
def test_data_migrations_backfill_citizenships_and_results(demo: DemoNetwork) -> None:
    from importlib import import_module

    from django.apps import apps

    project = make_project(demo)
    someone = person(demo, project, citizenships="AF")
    record = leave(
        demo, someone, D(2025, 3, 1), situations=[(2, "employed")], follow_ups=[(D(2025, 9, 1), "yes", False)]
    )
    EntryRecord.objects.filter(participant=someone).update(
        citizenships="", third_country_national_at_entry=None
    )
    ExitRecord.objects.filter(pk=record.pk).update(result_labour_market="", follow_up_result="")
    import_module("bruecke.esf.migrations.0009_citizenships_at_entry").backfill(apps, None)
    import_module("bruecke.esf.migrations.0010_exit_results").compute(apps, None)
    entry = EntryRecord.objects.get(participant=someone)
    assert (entry.citizenships, entry.third_country_national_at_entry) == ("AF", True)
    stored = ExitRecord.objects.get(pk=record.pk)
    assert (stored.result_labour_market, stored.follow_up_result) == ("EECR04", "yes")
