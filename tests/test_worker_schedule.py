"""The worker runs the daily schedule when started with `--daily-schedule` (as `make run`
starts it): once a day, retried an hour after a failed or interrupted run."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bruecke.jobs.periodic import periodic
from bruecke.jobs.worker import JobWorker
from bruecke.network.demo import DemoNetwork, seed_network
from bruecke.reminders.models import RunOutcome, ScheduleRun
from bruecke.reminders.schedule import schedule_due, step_names


def _worker(*, daily_schedule: bool) -> JobWorker:
    return JobWorker(
        housekeeping_seconds=60,
        daily_schedule=daily_schedule,
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-schedule",
        excluded_queue_names=[],
    )


# The library's worker loop closes connections that are inside a transaction (as a
# request would), so these tests commit for real.
@pytest.fixture
def network(transactional_db: None) -> None:
    seed_network()  # transactional tests start from whatever the last flush left


def test_a_worker_with_the_daily_schedule_runs_it_once_a_day(network: None) -> None:
    _worker(daily_schedule=True).run()  # housekeeping at start and after the batch: one run
    runs = list(ScheduleRun.objects.all())
    assert [run.outcome for run in runs] == [RunOutcome.OK]
    assert runs[0].run_on == timezone.localdate()
    assert set(runs[0].steps) == set(step_names())

    _worker(daily_schedule=True).run()
    assert ScheduleRun.objects.count() == 1


def test_a_worker_without_the_option_leaves_the_schedule_to_the_timer(network: None) -> None:
    _worker(daily_schedule=False).run()
    assert not ScheduleRun.objects.exists()


@pytest.mark.django_db
def test_a_failed_run_is_retried_after_an_hour_not_at_every_tick(demo: DemoNetwork) -> None:
    # Ten in the morning: the hours the test steps forward stay on the same local day
    # whenever the suite runs (late in the evening, +61 minutes would be tomorrow).
    today = timezone.localdate()
    now = timezone.make_aware(datetime.datetime.combine(today, datetime.time(10, 0)))
    ScheduleRun.objects.create(run_on=today, started_at=now, outcome=RunOutcome.FAILED)
    assert not schedule_due(today=today, now=now + datetime.timedelta(minutes=59))
    assert periodic(now + datetime.timedelta(minutes=30), daily_schedule=True)["schedule_runs"] == 0
    assert schedule_due(today=today, now=now + datetime.timedelta(minutes=61))
    assert periodic(now + datetime.timedelta(minutes=61), daily_schedule=True)["schedule_runs"] == 1
    assert ScheduleRun.objects.filter(outcome=RunOutcome.OK).count() == 1
    assert not schedule_due(today=today, now=now + datetime.timedelta(hours=3))
    # The next day is due again.
    assert schedule_due(today=today + datetime.timedelta(days=1), now=now + datetime.timedelta(days=1))
