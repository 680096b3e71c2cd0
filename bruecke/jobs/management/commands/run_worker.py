"""`manage.py run_worker`: runs background jobs (django-tasks-db's `db_worker`) and the job
housekeeping every JOB_HOUSEKEEPING_SECONDS. Start one or more per installation."""

from __future__ import annotations

import os
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from bruecke.jobs.worker import JobWorker


class Command(db_worker.Command):
    help = "Runs background jobs and their housekeeping (stale jobs, expired results)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name="*", reload=False)
        parser.add_argument(
            "--housekeeping-seconds",
            type=float,
            default=None,
            help="Seconds between housekeeping runs (default: JOB_HOUSEKEEPING_SECONDS).",
        )

    def handle(  # type: ignore[override]
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        housekeeping_seconds: float | None,
        **options: Any,
    ) -> None:
        # As db_worker's handle, with our worker class (the library builds its own inside).
        self.configure_logging(verbosity)
        if reload and batch:
            reload = False
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        seconds = (
            housekeeping_seconds if housekeeping_seconds is not None else settings.JOB_HOUSEKEEPING_SECONDS
        )
        if seconds <= 0:
            raise CommandError("--housekeeping-seconds must be greater than zero.")
        worker = JobWorker(
            housekeeping_seconds=seconds,
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
