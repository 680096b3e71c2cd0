"""`manage.py run_schedule` as the timer or cron runs it: a process against a database of
its own, with the demo data of `make run`; and two runs at the same moment on PostgreSQL.
"""

from __future__ import annotations

import datetime
import json
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone

from bruecke.cases.models import Task, TaskSource
from bruecke.network.demo import DemoNetwork
from bruecke.privacy.models import Breach
from bruecke.reminders.models import Notice, ScheduleRun
from bruecke.reminders.schedule import ScheduleReport, run_schedule

ROOT = Path(__file__).resolve().parent.parent


class Installation:
    """A development installation in a temporary directory (SQLite file, media)."""

    def __init__(self, directory: Path) -> None:
        self.database = directory / "db.sqlite3"
        self.environment = {
            **{
                key: value
                for key, value in os.environ.items()
                if key not in ("BRUECKE_ENV", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "EMAIL_BACKEND")
            },
            "BRUECKE_ENV": "development",
            "DJANGO_SETTINGS_MODULE": "bruecke.settings",
            "DATABASE_URL": f"sqlite:///{self.database}",
            "MEDIA_ROOT": str(directory / "media"),
        }

    def manage(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.environment, **extra},
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql).fetchall()


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Installation:
    made = Installation(tmp_path_factory.mktemp("installation"))
    for command in (("migrate", "--no-input"), ("seed_demo",)):
        result = made.manage(*command)
        assert result.returncode == 0, result.stderr
    return made


def test_the_demo_gets_a_reminder_and_a_failed_step_fails_the_command_only_after_the_others(
    installation: Installation,
) -> None:
    """`make run` data: the run gives Anna Berger the reminder for Mohammed Al-Hassan's
    document. The demo day (`placement.demo.day`) opens cases for the other participants:
    Amina Rahimi's document (35 days left) and Giorgi Beridze's (25 days) are in the window
    as well, for Anna Berger and Omar Haddad; and the demo placements have missed check-ins
    (Jonas Krause's and Leyla Demir's cases). A mail server that refuses (nothing listens on
    port 9) fails both e-mail steps: the command exits non-zero, the other steps have done
    their work, the run record says which steps failed; the next run sends the mails and
    repeats nothing."""
    refused = installation.manage(
        "run_schedule",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",
    )
    assert refused.returncode == 1
    assert "task_due_notices" in refused.stderr and "ConnectionRefusedError" in refused.stderr
    assert "residence_reminders: ok (created=3)" in refused.stdout
    assert "housekeeping: ok" in refused.stdout
    [(outcome, steps)] = installation.query("SELECT outcome, steps FROM reminders_schedulerun")
    recorded = json.loads(steps)
    assert outcome == "failed"
    failed = {"outcome": "failed", "counts": {"failed": 2}, "error": "ConnectionRefusedError"}
    assert recorded["task_due_notices"] == failed  # one mail each to Anna Berger and Omar Haddad
    assert recorded["missed_check_ins"] == failed  # one mail each to Jonas Krause and Leyla Demir
    assert recorded["residence_reminders"] == {"outcome": "ok", "counts": {"created": 3}}
    assert "Al-Hassan" not in steps
    reminders = installation.query(
        "SELECT p.family_name, u.username FROM cases_task t "
        "JOIN accounts_user u ON u.id = t.assignee_id "
        "JOIN cases_case c ON c.id = t.case_id JOIN participants_participant p ON p.id = c.participant_id "
        "WHERE t.source = 'residence_expiry' ORDER BY p.family_name"
    )
    assert reminders == [("Al-Hassan", "anna.berger"), ("Beridze", "omar.haddad"), ("Rahimi", "anna.berger")]
    assert installation.query(
        "SELECT count(*) FROM reminders_notice WHERE kind IN ('task_due', 'check_in_missed')"
    ) == [(0,)]

    again = installation.manage("run_schedule")
    assert again.returncode == 0, again.stderr
    assert "residence_reminders: ok (unchanged=3)" in again.stdout
    assert "Subject: =?utf-8?q?Br=C3=BCcke=3A" in again.stdout  # the console backend's mail
    for person in ("anna.berger", "omar.haddad", "jonas.krause", "leyla.demir"):
        assert f"To: {person}@example.org" in again.stdout
    last = installation.manage("run_schedule")
    assert last.returncode == 0 and "To: " not in last.stdout
    assert installation.query("SELECT count(*) FROM cases_task WHERE source = 'residence_expiry'") == [(3,)]
    outcomes = installation.query("SELECT outcome FROM reminders_schedulerun ORDER BY id")
    assert [row[0] for row in outcomes] == ["failed", "ok", "ok"]


def test_the_command_refuses_a_malformed_date(installation: Installation) -> None:
    result = installation.manage("run_schedule", "--date", "06.12.2026")
    assert result.returncode != 0 and "--date" in result.stderr


def _in_thread(function: Any, *args: Any) -> Any:
    """Runs `function` on a connection of its own (committing outside the test's transaction)."""
    found: list[Any] = []

    def run() -> None:
        try:
            found.append(function(*args))
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found[0] if found else None


@pytest.fixture
def committed_breach(demo: DemoNetwork) -> Iterator[int]:
    """A breach whose deadline ends in 22 hours, committed so that parallel runs see it."""

    def make() -> int:
        breach = Breach.objects.create(
            organisation=demo.partners["A"],
            detected_at=timezone.now() - datetime.timedelta(hours=50),
            title="Parallel",
            description="-",
            recorded_by=demo.users["dpo"],
        )
        return breach.pk

    pk = _in_thread(make)
    yield pk

    def clean() -> None:
        Notice.objects.all().delete()
        Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY).delete()
        ScheduleRun.objects.all().delete()
        Breach.objects.filter(pk=pk).delete()

    _in_thread(clean)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time in; parallel runs need PostgreSQL's parallel writers",
)
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_two_runs_at_the_same_moment_send_once_and_create_once(committed_breach: int) -> None:
    """Four runs start together, each on its own connection, committing as in production:
    one breach mail, one due-task mail per person, one reminder task."""
    runs, start = 4, threading.Barrier(4)
    reports: list[ScheduleReport] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(run_schedule())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(reports) == runs and all(report.ok for report in reports), [r.steps for r in reports]
    breach_mails = [m for m in mail.outbox if "Datenpanne" in m.subject]
    assert len(breach_mails) == 1
    task_mails = [m.to[0] for m in mail.outbox if "fällig" in m.subject]
    assert len(task_mails) == len(set(task_mails)) >= 1
    counted = _in_thread(
        lambda: (
            Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY).count(),
            Notice.objects.filter(object_id=str(committed_breach), kind="breach_deadline").count(),
        )
    )
    assert counted == (1, 1)
    created = sum(r.steps["residence_reminders"].counts.get("created", 0) for r in reports)
    assert created == 1
