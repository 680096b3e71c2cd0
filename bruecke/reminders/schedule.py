"""The daily run: `run_schedule()` is called by `manage.py run_schedule` (a systemd timer
or cron) and by the background worker; see decision 0031.

Each step is idempotent, so a repeated or concurrent run creates nothing twice. A step
that fails is recorded and logged (exception type and code lines only: messages of
database errors may quote values) and does not stop the steps after it; within a step, a
record that fails does not stop the other records (`items.Items`).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone, translation

from bruecke.core import audit_partitions
from bruecke.reminders.items import ItemsFailed, describe
from bruecke.reminders.models import RunOutcome, ScheduleRun
from bruecke.reminders.services import runs
from bruecke.reminders.services.breaches import breach_deadline_notices
from bruecke.reminders.services.check_ins import missed_check_in_notices
from bruecke.reminders.services.follow_ups import follow_up_tasks, task_due_notices
from bruecke.reminders.services.housekeeping import housekeeping
from bruecke.reminders.services.residence import residence_reminders

logger = logging.getLogger(__name__)

Step = Callable[[datetime.date], dict[str, int]]


def _steps() -> dict[str, Step]:
    # Built at call time, so tests can replace a step module's function.
    return {
        "residence_reminders": lambda today: residence_reminders(today=today),
        "breach_deadlines": lambda today: breach_deadline_notices(),
        "follow_up_tasks": lambda today: follow_up_tasks(today=today),
        "task_due_notices": lambda today: task_due_notices(today=today),
        "missed_check_ins": lambda today: missed_check_in_notices(today=today),
        "housekeeping": lambda today: housekeeping(),
        # The runtime role cannot create partitions: the step only reports a missing month.
        "audit_partitions": lambda today: audit_partitions.upkeep_check(connection),
    }


@dataclass
class StepResult:
    outcome: str
    counts: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"outcome": self.outcome, "counts": self.counts}
        if self.error:
            data["error"] = self.error
        return data


@dataclass
class ScheduleReport:
    run_id: int
    today: datetime.date
    steps: dict[str, StepResult]

    @property
    def failed(self) -> list[str]:
        return [name for name, step in self.steps.items() if step.outcome == RunOutcome.FAILED]

    @property
    def ok(self) -> bool:
        return not self.failed


def run_schedule(*, today: datetime.date | None = None, only: list[str] | None = None) -> ScheduleReport:
    """Runs every step (or those named in `only`) for `today` and records the run."""
    day = today or timezone.localdate()
    steps = {name: step for name, step in _steps().items() if only is None or name in only}
    run = runs.run_start(today=day)
    results: dict[str, StepResult] = {}
    # Texts the run writes (task titles) and sends are in the installation's language;
    # e-mails switch to their recipient's.
    with translation.override(settings.LANGUAGE_CODE):
        for name, step in steps.items():
            results[name] = _run_step(name, step, day)
    runs.run_finish(run=run, steps={name: result.as_json() for name, result in results.items()})
    return ScheduleReport(run_id=run.pk, today=day, steps=results)


def _run_step(name: str, step: Step, day: datetime.date) -> StepResult:
    try:
        counts = step(day)
    except ItemsFailed as failed:  # some records failed, the others were done
        logger.error("schedule step %s failed: %s", name, _described(failed.counts))
        return StepResult(outcome=RunOutcome.FAILED, counts=failed.counts, error=failed.error)
    except Exception as error:  # recorded and logged; the other steps go on
        logger.error("schedule step %s failed: %s", name, describe(error))
        return StepResult(outcome=RunOutcome.FAILED, error=type(error).__name__)
    logger.info("schedule step %s ok: %s", name, _described(counts))
    return StepResult(outcome=RunOutcome.OK, counts=counts)


def _described(counts: dict[str, int]) -> str:
    return ", ".join(f"{key}={value}" for key, value in sorted(counts.items())) or "nothing to do"


# A worker that runs the schedule (`run_worker --daily-schedule`) retries a failed or
# interrupted run after this long, not at every housekeeping tick.
RETRY_AFTER = datetime.timedelta(hours=1)


def schedule_due(*, today: datetime.date, now: datetime.datetime) -> bool:
    """Whether a worker should run the schedule for `today`: not yet completed today, and no
    run started within the last hour (one that is running, or failed and waits to retry)."""
    runs_today = ScheduleRun.objects.filter(run_on=today)
    if runs_today.filter(outcome=RunOutcome.OK).exists():
        return False
    return not runs_today.filter(started_at__gt=now - RETRY_AFTER).exists()


def step_names() -> list[str]:
    return list(_steps())
