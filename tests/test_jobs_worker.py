"""The worker as a separate process (`manage.py run_worker`, `manage.py run_dev`) against the
test database: progress visible from outside while a job runs, a worker killed with SIGKILL
in the middle of a job, and the web server and worker started and stopped together.

On PostgreSQL the worker connects to the test database itself (the tests are transactional,
so what they write is committed). The SQLite test database lives in memory, so it is copied
into a file for the worker and copied back afterwards.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.jobs import files, services
from bruecke.jobs.models import Job, JobState
from bruecke.jobs.services import job_start

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60


@dataclass
class WorkerDatabase:
    """The test database as a separate process sees it."""

    env: dict[str, str]
    sqlite_file: Path | None

    def share(self) -> None:
        """Makes what this test wrote visible to the process (SQLite: copy to the file)."""
        if self.sqlite_file is not None:
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_file)
            try:
                connection.connection.backup(target)
            finally:
                target.close()

    def take_back(self) -> None:
        """Makes what the process wrote visible to this test (SQLite: copy back)."""
        if self.sqlite_file is not None:
            source = sqlite3.connect(self.sqlite_file)
            try:
                source.backup(connection.connection)
            finally:
                source.close()

    def make_stale(self, job: Job) -> None:
        """Sets the job's heartbeat an hour back, beside the running worker."""
        hour_ago = timezone.now() - timedelta(hours=1)
        if self.sqlite_file is None:
            Job.objects.filter(pk=job.pk).update(heartbeat_at=hour_ago)
            return
        stored = hour_ago.astimezone(UTC).replace(tzinfo=None)  # as Django stores it
        with sqlite3.connect(self.sqlite_file) as writer:
            writer.execute("UPDATE jobs_job SET heartbeat_at = ? WHERE id = ?", [str(stored), job.pk.hex])

    def task_status(self, job: Job) -> str:
        """The status of the job's task in django-tasks-db's table."""
        from django_tasks_db.models import DBTaskResult

        task_id = Job.objects.get(pk=job.pk).task_result_id
        if self.sqlite_file is None:
            return str(DBTaskResult.objects.get(pk=task_id).status)
        with sqlite3.connect(self.sqlite_file) as reader:
            table = DBTaskResult._meta.db_table
            found = reader.execute(f"SELECT status FROM {table} WHERE id = ?", [task_id.replace("-", "")])  # noqa: S608
            return str(found.fetchone()[0])

    def job_row(self, job: Job) -> tuple[str, int, int | None]:
        """(state, done, total) of the job as stored now, read beside the running worker."""
        if self.sqlite_file is None:
            row = Job.objects.values_list("state", "progress_done", "progress_total").get(pk=job.pk)
            return row
        with sqlite3.connect(self.sqlite_file) as reader:
            found = reader.execute(
                "SELECT state, progress_done, progress_total FROM jobs_job WHERE id = ?", [job.pk.hex]
            ).fetchone()
        return (found[0], found[1], found[2])


@pytest.fixture
def worker_db(transactional_db: None, tmp_path: Path) -> Iterator[WorkerDatabase]:
    from bruecke.network.demo import seed_network

    seed_network()  # transactional tests start from whatever the last flush left
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bruecke.settings_test",
        "JOB_RESULTS_DIR": str(settings.JOB_RESULTS_DIR),
        "PYTHONUNBUFFERED": "1",
    }
    if connection.vendor == "sqlite":
        path = tmp_path / "worker.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield WorkerDatabase(env=env, sqlite_file=path)
    else:
        db = connection.settings_dict
        credentials = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        yield WorkerDatabase(env=env, sqlite_file=None)


def _manage(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _wait_until(condition: Callable[[], bool], what: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"process ended ({process.returncode}) before {what}:\n{output}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def _start(user: User, kind: str, **params: Any) -> Job:
    # Transactional test: job_start commits, so its task is enqueued at once.
    return job_start(actor=user, kind=kind, params=params, title="Worker job no. 1")


def test_progress_is_visible_while_the_worker_runs_the_job(
    worker_db: WorkerDatabase, persona: Callable[[str], User], tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    job = _start(persona("cm_a"), "test.count", steps=3, gate=str(gate))
    worker_db.share()
    worker = _manage("run_worker", "--batch", "--no-startup-delay", "-v0", env=worker_db.env)
    try:
        _wait_until(lambda: worker_db.job_row(job) == ("running", 1, 3), "progress 1 of 3", worker)
        gate.touch()
        assert worker.wait(timeout=TIMEOUT) == 0
    finally:
        worker.kill()
    assert worker_db.job_row(job) == ("done", 3, 3)
    worker_db.take_back()
    job = Job.objects.get(pk=job.pk)
    assert job.result_file().read_bytes() == b"step 1\nstep 2\nstep 3"


def test_a_worker_killed_in_the_middle_leaves_no_job_running_and_no_file(
    worker_db: WorkerDatabase, persona: Callable[[str], User], login: Callable[[str], Client], tmp_path: Path
) -> None:
    gate = tmp_path / "gate"  # never opened: the job is killed while it waits
    job = _start(persona("cm_a"), "test.stream", pieces=3, gate=str(gate))
    worker_db.share()
    worker = _manage("run_worker", "--batch", "--no-startup-delay", "-v0", env=worker_db.env)
    try:
        _wait_until(lambda: worker_db.job_row(job) == ("running", 1, 3), "the first piece", worker)
        assert files.temp_path(job.pk).stat().st_size == 1000  # half a file on disk
        os.kill(worker.pid, signal.SIGKILL)
        assert worker.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        worker.kill()
    worker_db.take_back()
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.RUNNING  # nobody could say otherwise: the worker is dead
    client = login("cm_a")
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    # The housekeeping, once the heartbeat is older than JOB_STALE_MINUTES.
    assert services.reap_stale_jobs(now=timezone.now() + timedelta(minutes=16)) == 1
    job = Job.objects.get(pk=job.pk)
    assert job.state == JobState.FAILED
    assert job.error_message == services.INTERRUPTED
    assert not files.temp_path(job.pk).exists()
    assert not list(files.results_dir().glob(f"{job.pk}*"))
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    # The user can start it again: the failed job no longer holds its place.
    assert _start(persona("cm_a"), "test.stream", pieces=3, gate=str(gate)).pk != job.pk


def test_the_worker_runs_the_housekeeping_beside_its_task_loop(
    worker_db: WorkerDatabase, persona: Callable[[str], User]
) -> None:
    job = _start(persona("cm_a"), "test.count", steps=1)
    assert services.job_claim(job_id=job.pk) is not None  # running, heartbeat fresh
    worker_db.share()
    worker = _manage(
        "run_worker", "--housekeeping-seconds", "0.5", "--no-startup-delay", "-v0", env=worker_db.env
    )
    try:
        time.sleep(1)  # its first housekeeping round has run and found nothing stale
        assert worker_db.job_row(job)[0] == "running"
        worker_db.make_stale(job)  # as if its own worker had died an hour ago
        _wait_until(lambda: worker_db.job_row(job)[0] == "failed", "the housekeeping", worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=TIMEOUT) == 0
    finally:
        worker.kill()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (our local server)
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture
def run_dev(
    worker_db: WorkerDatabase,
) -> Iterator[Callable[[], tuple[subprocess.Popen[str], str, dict[str, int]]]]:
    """Starts `run_dev` and waits until the web server answers; gives the process, the
    health address and the children's pids as it reports them. Whatever the test leaves
    running is killed afterwards (the children have process groups of their own)."""
    started: list[tuple[subprocess.Popen[str], dict[str, int]]] = []

    def start() -> tuple[subprocess.Popen[str], str, dict[str, int]]:
        worker_db.share()
        port = _free_port()
        process = _manage("run_dev", f"127.0.0.1:{port}", "--noreload", env=worker_db.env)
        pids: dict[str, int] = {}
        started.append((process, pids))
        assert process.stdout is not None
        line = process.stdout.readline()
        while line and not line.startswith("Started web server pid"):
            line = process.stdout.readline()
        words = line.replace(",", "").replace(".", " ").split()
        pids["web"] = int(words[words.index("server") + 2])
        pids["worker"] = int(words[words.index("worker") + 2])
        health = f"http://127.0.0.1:{port}{reverse('core:health')}"
        _wait_until(lambda: _answers(health), "the web server", process)
        assert _alive(pids["worker"])
        return process, health, pids

    yield start
    for process, pids in started:
        process.kill()
        process.wait()
        for pid in pids.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)


def test_run_dev_starts_web_server_and_worker_and_sigterm_stops_both(run_dev: Callable[[], Any]) -> None:
    process, health, pids = run_dev()
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=TIMEOUT) == 0
    assert not _alive(pids["web"]) and not _alive(pids["worker"])
    assert not _answers(health)


def test_run_dev_stops_the_web_server_when_the_worker_dies(run_dev: Callable[[], Any]) -> None:
    process, health, pids = run_dev()
    os.kill(pids["worker"], signal.SIGKILL)
    assert process.wait(timeout=TIMEOUT) == 1
    assert not _alive(pids["web"])
    assert not _answers(health)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two real connections; the in-memory SQLite test database has one (SQLite "
    "serialises writers with IMMEDIATE transactions anyway)",
)
def test_two_simultaneous_clicks_give_one_job(transactional_db: None, persona: Callable[[str], User]) -> None:
    """The first request's transaction is still open when the second one inserts: the
    partial unique index makes the second wait, fail, and return the first job."""
    user = persona("cm_a")
    created = threading.Event()
    release = threading.Event()
    results: dict[str, Any] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                results["first"] = job_start(actor=user, kind="test.count", params={"steps": 2}, title="t").pk
                created.set()
                release.wait(TIMEOUT)
        except BaseException as error:
            results["first_error"] = error
        finally:
            connection.close()

    def second() -> None:
        try:
            results["second"] = job_start(actor=user, kind="test.count", params={"steps": 2}, title="t").pk
        except BaseException as error:
            results["second_error"] = error
        finally:
            connection.close()

    one = threading.Thread(target=first)
    two = threading.Thread(target=second)
    one.start()
    assert created.wait(TIMEOUT)
    two.start()
    two.join(timeout=1)
    assert two.is_alive()  # waiting on the first transaction's row in the unique index
    release.set()
    one.join(TIMEOUT)
    two.join(TIMEOUT)
    assert "first_error" not in results and "second_error" not in results, results
    assert results["first"] == results["second"]
    assert Job.objects.filter(created_by=user, kind="test.count").count() == 1
