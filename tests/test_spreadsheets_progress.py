"""The progress bar moves while the rows are checked and imported: the import writes its
progress through the `progress` connection, outside the file's transaction (decision
0072). The tests hold a lock on the record of one row in the middle of the file, so the
worker waits there while the test reads the job's progress from its own connection; then
they release it and check that the import ended as it must, all or nothing."""

from __future__ import annotations

import csv
import io
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections, transaction

from bruecke.accounts.models import User
from bruecke.jobs import runner
from bruecke.jobs.models import Job
from bruecke.jobs.progress import PROGRESS_ALIAS, OutsideProgress
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer
from bruecke.spreadsheets import selectors, services
from bruecke.spreadsheets.models import ExternalKey, ImportRun, RunState
from bruecke.spreadsheets.registry import get

ROWS = 300
LOCKED = 150  # the external id of the row whose record the test holds locked


def file_of(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["Nr.", "Firma", "Branche"], *rows])
    return buffer.getvalue().encode("utf-8-sig")


def new_run(user: User, data: bytes) -> ImportRun:
    entity = get("employers")
    assert entity is not None
    organisation = selectors.import_organisations(user, entity)[0]
    run = services.run_create(
        actor=user,
        entity=entity,
        organisation=organisation,
        upload=services.Upload("liste.csv", data),
        language="de",
    )
    return services.run_set_columns(
        actor=user, run=run, columns={"external_id": "Nr.", "name": "Firma", "sector": "Branche"}
    )


def imported(user: User, run: ImportRun) -> ImportRun:
    """The dry run and the import, each through the worker's own runner."""
    runner.run(str(services.run_check_start(actor=user, run=run).pk))
    run = ImportRun.objects.get(pk=run.pk)
    assert run.state == RunState.CHECKED
    runner.run(str(services.run_import_start(actor=user, run=run).pk))
    return ImportRun.objects.get(pk=run.pk)


def in_worker(job: Job) -> threading.Thread:
    def work() -> None:
        try:
            runner.run(str(job.pk))
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name="import-worker")
    thread.start()
    return thread


def progress_while_blocked(job: Job, thread: threading.Thread) -> tuple[int, int | None]:
    """The job's progress as this connection sees it, once the worker reported rows (it then
    waits for the locked record: the numbers cannot move on until the lock is released)."""
    for _attempt in range(1200):  # a bound for a worker that never gets there, not a timing
        done, total = Job.objects.filter(pk=job.pk).values_list("progress_done", "progress_total").get()
        if done or not thread.is_alive():
            return done, total
        time.sleep(0.05)
    return 0, None


@pytest.fixture
def importer(demo: DemoNetwork) -> Iterator[User]:
    yield demo.users["po_a"]


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has a single writer: a second connection would wait for the import's write lock, "
    "so without PostgreSQL the progress is reported before and after the rows only (decision 0072)",
)


@postgres_only
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_the_import_reports_rows_while_it_runs_and_keeps_them(importer: User) -> None:
    assert PROGRESS_ALIAS in settings.DATABASES
    first = imported(importer, new_run(importer, file_of([[str(LOCKED), "Alter Name", "C"]])))
    assert first.state == RunState.IMPORTED
    locked = Employer.objects.get(name="Alter Name")
    rows = [[str(n), "Neuer Name" if n == LOCKED else f"Betrieb {n}", "C"] for n in range(1, ROWS + 1)]
    run = new_run(importer, file_of(rows))
    runner.run(str(services.run_check_start(actor=importer, run=run).pk))
    run = ImportRun.objects.get(pk=run.pk)
    job = services.run_import_start(actor=importer, run=run)

    with transaction.atomic():
        Employer.objects.select_for_update().get(pk=locked.pk)
        thread = in_worker(job)
        done, total = progress_while_blocked(job, thread)
    thread.join(timeout=120)

    assert total == ROWS and 0 < done < ROWS, (done, total)
    assert not thread.is_alive()
    run = ImportRun.objects.get(pk=run.pk)
    assert run.state == RunState.IMPORTED and run.counts["created"] == ROWS - 1
    assert Employer.objects.get(pk=locked.pk).name == "Neuer Name"
    assert Job.objects.get(pk=job.pk).progress_done == ROWS


@postgres_only
@pytest.mark.django_db(transaction=True, databases="__all__")
def test_an_import_with_an_error_moves_the_bar_and_still_keeps_nothing(importer: User) -> None:
    imported(importer, new_run(importer, file_of([[str(LOCKED), "Alter Name", "C"]])))
    locked = Employer.objects.get(name="Alter Name")
    employers, keys = Employer.objects.count(), ExternalKey.objects.count()
    rows = [[str(n), "Neuer Name" if n == LOCKED else f"Betrieb {n}", "C"] for n in range(1, ROWS + 1)]
    rows[-1][1] = ""  # the last row lacks the required name
    run = new_run(importer, file_of(rows))
    # As if the file had passed its dry run: the error shows only in the import itself.
    ImportRun.objects.filter(pk=run.pk).update(state=RunState.CHECKED)
    job = services.run_import_start(actor=importer, run=ImportRun.objects.get(pk=run.pk))

    with transaction.atomic():
        Employer.objects.select_for_update().get(pk=locked.pk)
        thread = in_worker(job)
        done, total = progress_while_blocked(job, thread)
    thread.join(timeout=120)

    assert total == ROWS and 0 < done < ROWS, (done, total)
    run = ImportRun.objects.get(pk=run.pk)
    assert run.state == RunState.REJECTED and run.counts["errors"] == 1
    assert (Employer.objects.count(), ExternalKey.objects.count()) == (employers, keys)
    assert Employer.objects.get(pk=locked.pk).name == "Alter Name"
    assert not Employer.objects.filter(name__startswith="Betrieb ").exists()


@pytest.mark.django_db
def test_the_dry_run_ends_with_all_rows_reported_with_or_without_the_progress_connection(
    importer: User, django_capture_on_commit_callbacks: Any
) -> None:
    """On SQLite there is no progress connection: the reporter writes nothing during the
    rows and the job reports before and after them. On PostgreSQL in this test's own
    transaction the progress connection cannot see the job: its writes change nothing and
    never fail the dry run."""
    run = new_run(importer, file_of([["1", "Betrieb", "C"], ["2", "Werkstatt", "C"]]))
    with django_capture_on_commit_callbacks(execute=True):
        job = services.run_check_start(actor=importer, run=run)
    assert OutsideProgress(job, 2).enabled is (connection.vendor == "postgresql")
    runner.run(str(job.pk))
    run = ImportRun.objects.get(pk=run.pk)
    assert run.state == RunState.CHECKED and run.counts["rows"] == 2
    job = Job.objects.get(pk=job.pk)
    assert (job.progress_done, job.progress_total) == (2, 2)
