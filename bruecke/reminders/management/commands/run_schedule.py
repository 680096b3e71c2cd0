"""`manage.py run_schedule`: the daily run (decision 0031). Exits non-zero when a step
failed, so that the systemd timer or cron reports it."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.reminders.schedule import run_schedule, step_names


class Command(BaseCommand):
    help = (
        "Runs the daily scheduled work: residence-document reminders, breach deadline notices, "
        "follow-up tasks and notices, housekeeping. Safe to repeat: nothing is created twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            help="run as on this day (YYYY-MM-DD; default today), e.g. to catch up a missed day",
        )
        parser.add_argument(
            "--step", action="append", choices=step_names(), help="run only this step (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_schedule(today=options["date"], only=options["step"])
        for name, step in report.steps.items():
            counts = ", ".join(f"{key}={value}" for key, value in sorted(step.counts.items()))
            self.stdout.write(f"{name}: {step.outcome}" + (f" ({counts})" if counts else ""))
        if report.failed:
            raise CommandError(
                f"Scheduled run {report.run_id} failed in: {', '.join(report.failed)} (see the log)."
            )
        self.stdout.write(self.style.SUCCESS(f"Scheduled run {report.run_id} completed."))
