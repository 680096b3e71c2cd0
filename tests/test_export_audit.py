"""List exports in a person's own access report and the DPO's record filter (decision 0073):
the EXPORT events name every record the file holds, in events of bounded size; the
participant search is kept encrypted in the job's parameters."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.cases.models import Case
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.selectors import AuditFilter, audit_events_filtered
from bruecke.jobs.models import Job
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.privacy.subject_access import build_report
from bruecke.spreadsheets.exporting import audit as export_audit
from bruecke.spreadsheets.exporting.start import KIND
from tests.spreadsheets_export_helpers import csv_rows, finish, participant, start

Capture = Callable[..., Any]
SEARCHED = "Ausfuhrprobe"
PARTICIPANT = "participants.participant"


def _export_label() -> str:
    with translation.override("de"):
        return str(AuditAction.EXPORT.label)


def _exports_in_report(person: Participant, demo: DemoNetwork) -> list[int]:
    with translation.override("de"):
        report = build_report(participant=person, user=demo.users["cm_a"])
        return [day.count for day in report.access if day.action == _export_label()]


def _searched_export(client: Client, capture: Capture) -> Job:
    response = client.post(reverse("participants:search"), {"q": SEARCHED})
    query = response["Location"].split("?", 1)[1]
    return start(client, capture, "participants", query)


@pytest.fixture
def three(demo: DemoNetwork) -> list[Participant]:
    return [participant(demo, SEARCHED, given_names=name) for name in ("Alma", "Berta", "Carla")]


def _named(event: AuditEvent) -> dict[str, list[Any]]:
    assert event.object_ids is not None
    return dict(event.object_ids)


def _events(job: Job) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.pk)).order_by("pk"))


def test_each_exported_person_finds_the_export_in_their_access_report(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    three: list[Participant],
) -> None:
    outsider = participant(demo, "Nichtdabei")
    job = finish(_searched_export(login("cm_a"), django_capture_on_commit_callbacks))
    (event,) = _events(job)
    assert sorted(_named(event)[PARTICIPANT]) == sorted(p.pk for p in three)
    for person in three:
        assert _exports_in_report(person, demo) == [1]
    assert _exports_in_report(outsider, demo) == []


def test_the_dpo_finds_the_export_by_the_participant_number(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    three: list[Participant],
) -> None:
    job = finish(_searched_export(login("cm_a"), django_capture_on_commit_callbacks))
    dpo = demo.users["dpo"]
    for chosen in (
        AuditFilter(object_id=str(three[1].pk)),
        AuditFilter(object_type=PARTICIPANT, object_id=str(three[1].pk)),
    ):
        found = audit_events_filtered(dpo, chosen).filter(action=AuditAction.EXPORT)
        assert [e.object_id for e in found] == [str(job.pk)]
    page = login("dpo").get(reverse("core:audit_log"), {"object_id": str(three[2].pk)}).content.decode()
    assert _export_label() in page
    assert "3 Datensätze exportiert: Teilnehmende:r (3)" in page


def test_a_big_export_is_split_into_bounded_events(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    three: list[Participant],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_audit, "RECORDS_PER_EVENT", 2)
    job = finish(_searched_export(login("cm_a"), django_capture_on_commit_callbacks))
    events = _events(job)
    assert [sum(len(ids) for ids in _named(e).values()) for e in events] == [2, 1]
    named = [pk for e in events for pk in _named(e)[PARTICIPANT]]
    assert sorted(named) == sorted(p.pk for p in three)
    # Two events, one export: each person's report counts it once.
    for person in three:
        assert _exports_in_report(person, demo) == [1]


def test_the_cases_export_names_each_case_and_its_participant_once(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(export_audit, "RECORDS_PER_EVENT", 3)
    job = finish(start(login("cm_a"), django_capture_on_commit_callbacks, "cases"))
    rows = csv_rows(job.result_file().read_bytes())
    cases = {int(row[0]) for row in rows[1:]}
    assert len(cases) >= 3  # enough rows to need several events
    events = _events(job)
    assert len(events) > 1
    assert all(sum(len(ids) for ids in _named(e).values()) <= 3 for e in events)
    named_cases = [pk for e in events for pk in _named(e).get("cases.case", [])]
    named_people = [pk for e in events for pk in _named(e).get(PARTICIPANT, [])]
    assert sorted(named_cases) == sorted(cases)
    people = set(Case.objects.filter(pk__in=cases).values_list("participant_id", flat=True))
    assert sorted(named_people) == sorted(people)  # each once
    # A row's case and its participant can fall into two events: the person's report
    # still counts one export.
    event_of = {(t, pk): n for n, e in enumerate(events) for t, ids in _named(e).items() for pk in ids}
    split = [
        participant_id
        for case_id, participant_id in Case.objects.filter(pk__in=cases).values_list("pk", "participant_id")
        if event_of[("cases.case", case_id)] != event_of[(PARTICIPANT, participant_id)]
    ]
    assert split
    for person in Participant.objects.filter(pk__in=split):
        assert _exports_in_report(person, demo) == [1]


def test_an_empty_export_still_writes_its_event(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    client = login("cm_a")
    response = client.post(reverse("participants:search"), {"q": "Zzyzxnichtvorhanden"})
    job = finish(
        start(
            client, django_capture_on_commit_callbacks, "participants", response["Location"].split("?", 1)[1]
        )
    )
    (event,) = _events(job)
    assert event.object_ids is None and event.object_type == PARTICIPANT


def test_the_job_row_holds_the_search_encrypted(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    three: list[Participant],
) -> None:
    client = login("cm_a")
    job = _searched_export(client, django_capture_on_commit_callbacks)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM jobs_job WHERE id = %s", [job.pk.hex if connection.vendor == "sqlite" else job.pk]
        )
        stored = json.dumps([str(value) for value in cursor.fetchone()])
    assert SEARCHED.lower() not in stored.lower()
    assert job.params["e_search"].startswith("v2:")
    # The same export clicked again while it waits is the same job (the fingerprints of
    # two encryptions differ; the export compares them opened).
    assert _searched_export(client, django_capture_on_commit_callbacks).pk == job.pk
    assert Job.objects.filter(kind=KIND).count() == 1
    # The worker opens it: the file holds exactly the three.
    rows = csv_rows(finish(job).result_file().read_bytes())
    assert len(rows) == 4 and {row[2] for row in rows[1:]} == {"Alma", "Berta", "Carla"}
