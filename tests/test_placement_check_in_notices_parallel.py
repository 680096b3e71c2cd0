"""Missed check-ins in the daily run: four runs at the same moment on PostgreSQL send one
e-mail per missed check-in (the notice's unique key and the check-in's row lock)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import override_settings

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import CheckIn, Employer, Placement, PlacementKind
from bruecke.reminders.models import Notice, ScheduleRun
from bruecke.reminders.schedule import ScheduleReport, run_schedule
from bruecke.reminders.services.check_ins import CHECK_IN_MISSED
from tests.expectations_cases import _case
from tests.test_run_schedule_command import _in_thread


@pytest.fixture
def committed_check_in(demo: DemoNetwork) -> Iterator[int]:
    """A placement of Mohammed's whose 1-month check-in was missed, committed. The demo's
    missed check-ins are announced before (committed too): the runs find only this one."""
    today = datetime.date.today()

    def make() -> int:
        run_schedule(only=["missed_check_ins"])
        case = _case(demo)
        employer = Employer.objects.create(organisation=case.organisation, name="Parallel GmbH", sector="I")
        placement = Placement.objects.create(
            case=case,
            participant=case.participant,
            organisation=case.organisation,
            team=case.team,
            employer=employer,
            kind=PlacementKind.EMPLOYMENT,
            start_date=today - datetime.timedelta(days=40),
            created_by=demo.users["po_a"],
        )
        return CheckIn.objects.create(
            placement=placement, months_after_start=1, due_on=today - datetime.timedelta(days=9)
        ).pk

    pk = _in_thread(make)
    mail.outbox.clear()
    yield pk

    def clean() -> None:
        Notice.objects.all().delete()
        ScheduleRun.objects.all().delete()
        placement = CheckIn.objects.get(pk=pk).placement
        employer = placement.employer
        placement.delete()
        if employer is not None:
            employer.delete()

    _in_thread(clean)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer at a time in; parallel runs need PostgreSQL's parallel writers",
)
@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
def test_four_runs_at_once_announce_a_missed_check_in_once(committed_check_in: int) -> None:
    runs, start = 4, threading.Barrier(4)
    reports: list[ScheduleReport] = []

    def run() -> None:
        try:
            start.wait()
            reports.append(run_schedule(only=["missed_check_ins"]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == runs and all(report.ok for report in reports), [r.steps for r in reports]
    assert len([m for m in mail.outbox if "Nachbetreuung" in m.subject]) == 1
    notices = _in_thread(
        lambda: Notice.objects.filter(kind=CHECK_IN_MISSED, object_id=str(committed_check_in)).count()
    )
    assert notices == 1
