"""The job worker: django-tasks-db's worker plus the periodic housekeeping."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("bruecke.jobs")


def run_periodic(now: datetime | None = None, *, daily_schedule: bool = False) -> dict[str, int] | None:
    """Runs the periodic hook; an error is logged (class only) and the worker goes on."""
    from bruecke.jobs.periodic import periodic

    try:
        return periodic(now or timezone.now(), daily_schedule=daily_schedule)
    except Exception as error:
        logger.error(
            "Periodic housekeeping failed with %s.%s", type(error).__module__, type(error).__qualname__
        )
        return None


class _Housekeeping(threading.Thread):
    """Calls the periodic hook every `interval` seconds beside the task loop, so a long
    job does not delay reaping another worker's interrupted job."""

    def __init__(self, interval: float, *, daily_schedule: bool) -> None:
        super().__init__(name="job-housekeeping", daemon=True)
        self.interval = interval
        self.daily_schedule = daily_schedule
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.interval):
                run_periodic(daily_schedule=self.daily_schedule)
        finally:
            connection.close()  # this thread's own connection


class JobWorker(Worker):
    """Runs the housekeeping once at start, then beside the task loop every
    `housekeeping_seconds`; in batch mode once more after the last task."""

    def __init__(
        self, *, housekeeping_seconds: float, daily_schedule: bool = False, **options: object
    ) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.housekeeping_seconds = housekeeping_seconds
        self.daily_schedule = daily_schedule

    def run(self) -> None:
        run_periodic(daily_schedule=self.daily_schedule)
        housekeeping = None
        if not self.batch:
            housekeeping = _Housekeeping(self.housekeeping_seconds, daily_schedule=self.daily_schedule)
            housekeeping.start()
        try:
            super().run()
        finally:
            if housekeeping is not None:
                housekeeping.stopped.set()
        if self.batch:
            run_periodic(daily_schedule=self.daily_schedule)
