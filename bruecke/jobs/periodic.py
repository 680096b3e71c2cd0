"""The worker's periodic hook: the job housekeeping every JOB_HOUSEKEEPING_SECONDS and,
for a worker started with `--daily-schedule` (as `make run` does), the daily run."""

from __future__ import annotations

import logging
from datetime import datetime

from django.utils import timezone

from bruecke.jobs.services import delete_expired_results, prune_task_rows, reap_stale_jobs

logger = logging.getLogger("bruecke.jobs")


def periodic(now: datetime, *, daily_schedule: bool = False) -> dict[str, int]:
    """Runs everything the worker does every JOB_HOUSEKEEPING_SECONDS; returns counts."""
    counts = {
        "stale_jobs_failed": reap_stale_jobs(now=now),
        "expired_results_deleted": delete_expired_results(now=now),
        "task_rows_pruned": prune_task_rows(now=now),
        "import_runs_expired": _expire_import_runs(now),
    }
    if daily_schedule:
        counts["schedule_runs"] = _daily_schedule(now)
    if any(counts.values()):
        logger.info("Housekeeping: %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts


def _expire_import_runs(now: datetime) -> int:
    # Imported here: the spreadsheets app builds on jobs.
    from bruecke.spreadsheets.services import expire_runs

    return expire_runs(now)


def _daily_schedule(now: datetime) -> int:
    # Imported here: the reminders app builds on jobs-free apps, jobs must not need it to load.
    from bruecke.reminders.schedule import run_schedule, schedule_due

    today = timezone.localdate(now)
    if not schedule_due(today=today, now=now):
        return 0
    run_schedule(today=today)
    return 1
