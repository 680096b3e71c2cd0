"""The report's SQL counts beside its decryption pass (reporting/indicators/beside.py):
two connections on PostgreSQL reading one snapshot, one after the other everywhere else,
and the same figures either way."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from bruecke.core.crypto import DecryptionError
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from bruecke.projects.models import Project
from bruecke.reporting.indicators import compute_report
from bruecke.reporting.indicators.beside import can_overlap, run_beside
from tests.indicator_data import D, leave, make_project, person, request_for

POSTGRES = pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections need PostgreSQL")


def _backend() -> tuple[str, str]:
    """This connection's server process and the snapshot it reads."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            return (str(id(connection.connection)), "")
        cursor.execute("SELECT pg_backend_pid()::text, pg_current_snapshot()::text")
        pid, snapshot = cursor.fetchone()
    return pid, snapshot


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_side_runs_on_its_own_connection_in_the_same_snapshot() -> None:
    assert can_overlap("default")
    side, main = run_beside(_backend, _backend)
    assert side[0] != main[0]  # two server processes
    assert side[1] == main[1]  # one snapshot (the exported one)


@pytest.mark.django_db
def test_inside_a_transaction_both_run_on_this_connection() -> None:
    """The test's own transaction holds uncommitted rows a second connection could not see."""
    with transaction.atomic():
        assert not can_overlap("default")
        side, main = run_beside(_backend, _backend)
    assert side == main


def _build(demo: DemoNetwork) -> Project:
    project = make_project(demo)
    for index in range(6):
        somebody = person(
            demo,
            project,
            gender=("female", "male", "diverse")[index % 3],
            entry=D(2025, 3, 1 + index),
            disability="yes" if index % 2 else "no",
        )
        if index < 3:
            leave(demo, somebody, D(2025, 6, 1), situations=[(3, "employed")])
    return project


@POSTGRES
@pytest.mark.django_db(transaction=True)
def test_the_overlapped_report_equals_the_one_computed_step_by_step(demo: DemoNetwork) -> None:
    project = _build(demo)
    request = request_for(demo, project, D(2025, 1, 1), D(2025, 12, 31))
    overlapped = compute_report(request)
    with transaction.atomic():  # one connection, one query after the other
        step_by_step = compute_report(request)
    assert overlapped.indicators == step_by_step.indicators
    assert overlapped.by_code()["EECO12"].values.total == 3
    assert overlapped.by_code()["EECO01"].values.total == 6
    assert EntryRecord.objects.filter(participant__project=project).count() == 6


@pytest.mark.django_db
def test_a_value_that_cannot_be_decrypted_stops_the_report_and_its_fetching_thread(demo: DemoNetwork) -> None:
    project = _build(demo)
    record = EntryRecord.objects.filter(participant__project=project).first()
    assert record is not None
    with connection.cursor() as cursor:  # a tampered ciphertext, written past the model field
        cursor.execute(
            "UPDATE esf_entryrecord SET disability = %s WHERE id = %s", ["v2:k1:AAAAAAAAAAAAAAAA", record.pk]
        )
    request = request_for(demo, project, D(2025, 1, 1), D(2025, 12, 31))
    with pytest.raises(DecryptionError):
        compute_report(request)
    assert not [t for t in threading.enumerate() if t.name == "report-fetch"]
