"""Probable duplicates when participants are imported: new rows are compared with the
registrations the importing user may see and with each other, by the intake warning's
model and threshold; nothing about another organisation's registrations comes out; the
import after a dry run with warnings needs the confirmation (page and command); the
number of queries depends on the chunks, not on the rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.spreadsheets import duplicates, registry, services
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, run_file
from bruecke.spreadsheets.models import ExternalKey, ImportDuplicate, ImportRun, RunState
from bruecke.spreadsheets.reading import read_table
from tests.clients import verified_client
from tests.jobs_helpers import run_queued_jobs

pytestmark = pytest.mark.django_db

HEADER = ["external_id", "given_names", "family_name", "birth_date", "gender", "nationality", "entry_date"]
AMIR = ["P-1", "Amir", "Haddad", "12.03.1994", "male", "SY", "01.02.2025"]


def _bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _plan(rows: list[list[str]]) -> tuple[Plan, Any]:
    entity = registry.get("participants")
    assert entity is not None
    table = read_table(_bytes(rows), "liste.csv")
    return Plan(entity, {key: key for key in rows[0]}), table


def _ctx(demo: DemoNetwork, user: str = "cm_a", partner: str = "A") -> ImportContext:
    return ImportContext(actor=demo.users[user], organisation=demo.partners[partner], entity="participants")


def _import(demo: DemoNetwork, rows: list[list[str]], *, user: str = "cm_a", partner: str = "A") -> None:
    plan, table = _plan([HEADER, *rows])
    results: list[RowResult] = []
    counts = run_file(_ctx(demo, user, partner), plan, table, dry_run=False, on_row=results.append)
    assert counts.created == len(rows), [r.errors for r in results]


def _check(demo: DemoNetwork, rows: list[list[str]], **kwargs: Any) -> list[duplicates.DuplicateWarning]:
    plan, table = _plan([HEADER, *rows])
    with translation.override("de"):
        return duplicates.probable_duplicates(_ctx(demo), duplicates.file_rows(plan, table), **kwargs)


def _amir(demo: DemoNetwork) -> Participant:
    key = ExternalKey.objects.get(organisation=demo.partners["A"], entity="participants", external_id="P-1")
    return Participant.objects.get(pk=key.object_id)


def test_an_existing_registration_in_scope_is_warned_about(demo: DemoNetwork) -> None:
    _import(demo, [AMIR])
    amir = _amir(demo)
    # The same person again under a new external id (another spelling), and the known row.
    again = ["X-1", "Amir", "Hadad", "12.03.1994", "male", "SY", "01.03.2025"]
    warnings = _check(demo, [AMIR, again])
    assert [(w.row_number, w.participant_id, w.other_row) for w in warnings] == [(3, amir.pk, None)]
    warning = duplicates.with_registrations(demo.users["cm_a"], warnings)[0]
    assert warning.participant == amir
    assert 50 < warning.percent < 100
    with translation.override("de"):
        words = {e.comparison: str(e.direction_label) for e in warning.evidence_words}
        assert words["birth_date"] == "spricht für dieselbe Person"
        assert "Geburtsdatum" in warning.evidence_text()


def test_another_organisations_registration_is_never_named(demo: DemoNetwork) -> None:
    _import(demo, [AMIR], user="cm_b", partner="B")
    again = ["X-1", "Amir", "Haddad", "12.03.1994", "male", "SY", "01.03.2025"]
    warnings = _check(demo, [again])
    assert warnings == []
    # Not even stored as a warning that the page would leave out: nothing at all.
    plan, table = _plan([HEADER, again])
    run = ImportRun.objects.create(
        organisation=demo.partners["A"],
        created_by=demo.users["cm_a"],
        entity="participants",
        file_name="x.csv",
    )
    duplicates.record(run, duplicates.probable_duplicates(run, duplicates.file_rows(plan, table)))
    assert not ImportDuplicate.objects.filter(run=run).exists()
    assert not duplicates.has_warnings(run)


def test_a_warning_about_a_registration_no_longer_visible_is_left_out(demo: DemoNetwork) -> None:
    _import(demo, [AMIR], user="cm_b", partner="B")
    amir = Participant.objects.filter(organisation=demo.partners["B"]).latest("pk")
    run = ImportRun.objects.create(
        organisation=demo.partners["A"],
        created_by=demo.users["cm_a"],
        entity="participants",
        file_name="x.csv",
    )
    ImportDuplicate.objects.create(run=run, row_number=2, participant_number=amir.pk, weight=20, evidence=[])
    assert list(duplicates.stored(run, demo.users["cm_a"])) == []
    assert duplicates.as_warnings(demo.users["cm_a"], ImportDuplicate.objects.filter(run=run)) == []


def test_two_rows_of_the_file_for_the_same_person_warn(demo: DemoNetwork) -> None:
    first = ["X-1", "Leyla", "Rahimi", "05.11.2001", "female", "AF", "01.03.2025"]
    second = ["X-2", "Laila", "Rahimi", "05.11.2001", "female", "AF", "01.04.2025"]
    other = ["X-3", "Yusuf", "Karimi", "17.08.1988", "male", "IR", "01.04.2025"]
    warnings = _check(demo, [first, other, second])
    assert [(w.row_number, w.other_row, w.participant_id) for w in warnings] == [(4, 2, None)]
    # Across chunks too.
    warnings = _check(demo, [first, other, second], chunk_rows=1)
    assert [(w.row_number, w.other_row) for w in warnings] == [(4, 2)]


def test_different_people_with_a_common_name_do_not_warn(demo: DemoNetwork) -> None:
    _import(demo, [["P-7", "Mohammed", "Ahmad", "1990", "male", "SY", "01.02.2025"]])
    rows = [
        ["X-1", "Mohammed", "Ahmad", "14.06.1972", "male", "IQ", "01.03.2025"],
        ["X-2", "Mohammed", "Ahmad", "02.09.2003", "male", "SD", "01.03.2025"],
        ["X-3", "Fatima", "Ahmad", "02.09.2003", "female", "SD", "01.03.2025"],
    ]
    assert _check(demo, rows) == []


def _people(count: int, start: int = 0) -> list[list[str]]:
    given = ["Amir", "Sara", "Yusuf", "Leyla", "Omar", "Hana", "Karim", "Nour", "Samir", "Rana"]
    family = ["Haddad", "Tesfay", "Karimi", "Rahimi", "Nasser", "Saleh", "Yilmaz", "Bakr", "Aziz", "Hamdan"]
    return [
        [
            f"Q-{n}",
            given[n % 10],
            f"{family[(n // 10) % 10]}{'ow' * (n // 100)}",
            f"{1 + n % 28:02d}.{1 + n % 12:02d}.{1960 + n % 40}",
            "female" if n % 2 else "male",
            "SY",
            "01.03.2025",
        ]
        for n in range(start, start + count)
    ]


def test_the_check_costs_the_same_queries_per_chunk_whatever_the_rows(demo: DemoNetwork) -> None:
    _import(demo, [AMIR, *_people(30, start=500)])
    queries = []
    for rows in (_people(10), _people(100)):
        rows = [*rows, ["Z-1", "Amir", "Haddad", "12.03.1994", "male", "SY", "01.03.2025"]]
        with CaptureQueriesContext(connection) as captured:
            warnings = _check(demo, rows)
        assert [w.participant_id for w in warnings] == [_amir(demo).pk]
        queries.append(len(captured))
    assert queries[0] == queries[1] <= 6
    # Two chunks: the per-chunk queries twice, the model once.
    with CaptureQueriesContext(connection) as captured:
        _check(demo, _people(100), chunk_rows=50)
    assert len(captured) <= 2 * (queries[0] - 1) + 1


# -- the import step and the command ---------------------------------------------------------


@pytest.fixture
def cm_a(persona: Callable[[str], User]) -> Client:
    return verified_client(persona("cm_a"))


def _dry_run(client: Client, user: User, rows: list[list[str]], capture: Any) -> ImportRun:
    file = io.BytesIO(_bytes([HEADER, *rows]))
    file.name = "teilnehmende.csv"
    client.post(reverse("spreadsheets:import_upload"), {"entity": "participants", "file": file})
    run = ImportRun.objects.filter(created_by=user).latest("created_at")
    data = {f"column_{key}": key for key in HEADER}
    with capture(execute=True):
        response = client.post(reverse("spreadsheets:import_columns", args=[run.pk]), data)
    assert response["Location"] == reverse("spreadsheets:import_run", args=[run.pk])
    assert run_queued_jobs() == 1
    run.refresh_from_db()
    assert run.state == RunState.CHECKED
    return run


def test_the_import_needs_the_confirmation_that_the_duplicates_were_checked(
    demo: DemoNetwork,
    cm_a: Client,
    persona: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    _import(demo, [AMIR])
    user = persona("cm_a")
    rows = [["X-1", "Amir", "Hadad", "12.03.1994", "male", "SY", "01.03.2025"]]
    run = _dry_run(cm_a, user, rows, django_capture_on_commit_callbacks)
    assert ImportDuplicate.objects.filter(run=run).count() == 1
    page = cm_a.get(reverse("spreadsheets:import_run", args=[run.pk]))
    html = page.content.decode()
    assert "Mögliche Doppelungen" in html and "Amir Haddad" in html
    assert "Ich habe die möglichen Doppelungen geprüft" in html

    before = Participant.objects.count()
    url = reverse("spreadsheets:import_start", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = cm_a.post(url)
    assert response.status_code == 400
    assert "Bitte bestätigen Sie" in response.context["duplicates_error"]
    assert 'aria-invalid="true"' in response.content.decode()
    assert run_queued_jobs() == 0
    run.refresh_from_db()
    assert (run.state, Participant.objects.count()) == (RunState.CHECKED, before)

    with django_capture_on_commit_callbacks(execute=True):
        response = cm_a.post(url, {duplicates.CONFIRM_FIELD: "on"})
    assert response.status_code == 302
    assert run_queued_jobs() == 1
    run.refresh_from_db()
    assert (run.state, Participant.objects.count()) == (RunState.IMPORTED, before + 1)


def test_a_file_without_duplicates_needs_no_confirmation(
    demo: DemoNetwork,
    cm_a: Client,
    persona: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    rows = [["X-1", "Jana", "Kowalenko", "03.04.1985", "female", "UA", "01.03.2025"]]
    run = _dry_run(cm_a, persona("cm_a"), rows, django_capture_on_commit_callbacks)
    page = cm_a.get(reverse("spreadsheets:import_run", args=[run.pk]))
    assert "Doppelungen" not in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert cm_a.post(reverse("spreadsheets:import_start", args=[run.pk])).status_code == 302
    assert run_queued_jobs() == 1


def _command(demo: DemoNetwork, path: Path, *args: str) -> str:
    out = io.StringIO()
    with translation.override("de"):
        call_command(
            "import_spreadsheet",
            str(path),
            "--entity=participants",
            f"--organisation={demo.partners['A'].name}",
            f"--user={demo.users['cm_a'].username}",
            "--language=de",
            *args,
            stdout=out,
            stderr=io.StringIO(),
        )
    return out.getvalue()


def test_the_command_stops_on_duplicates_unless_they_are_allowed(demo: DemoNetwork, tmp_path: Path) -> None:
    _import(demo, [AMIR])
    path = tmp_path / "liste.csv"
    path.write_bytes(_bytes([HEADER, ["X-1", "Amir", "Hadad", "12.03.1994", "male", "SY", "01.03.2025"]]))
    before = Participant.objects.count()
    output = _command(demo, path, "--dry-run")
    assert "Zeile 2" in output and "Amir Haddad" in output
    with pytest.raises(CommandError) as stopped:
        _command(demo, path)
    assert stopped.value.returncode == 1 and "--allow-duplicates" in str(stopped.value)
    assert Participant.objects.count() == before
    _command(demo, path, "--allow-duplicates")
    assert Participant.objects.count() == before + 1


def test_the_warnings_expire_with_the_row_results(demo: DemoNetwork) -> None:
    run = ImportRun.objects.create(
        organisation=demo.partners["A"],
        created_by=demo.users["cm_a"],
        entity="participants",
        file_name="x.csv",
    )
    ImportDuplicate.objects.create(run=run, row_number=3, other_row_number=2, weight=20, evidence=[])
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=400))
    assert services.expire_runs() >= 1
    assert not ImportDuplicate.objects.filter(run=run).exists()
