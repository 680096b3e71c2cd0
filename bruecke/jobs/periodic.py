"""The worker's periodic hook. The daily schedule (`run_schedule`) is wired in here at
merge; today it runs the job housekeeping."""

from __future__ import annotations

import logging
from datetime import datetime

from bruecke.jobs.services import delete_expired_results, reap_stale_jobs

logger = logging.getLogger("bruecke.jobs")


def periodic(now: datetime) -> dict[str, int]:
    """Runs everything the worker does every JOB_HOUSEKEEPING_SECONDS; returns counts."""
    counts = {
        "stale_jobs_failed": reap_stale_jobs(now=now),
        "expired_results_deleted": delete_expired_results(now=now),
    }
    if any(counts.values()):
        logger.info("Housekeeping: %s", ", ".join(f"{k}={v}" for k, v in counts.items()))
    return counts
