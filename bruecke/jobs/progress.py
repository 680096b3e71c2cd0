"""Progress of a job that works inside one long transaction (the spreadsheet import: all
rows or none), written through a second connection to the same database.

A progress write on the job's own connection would stay invisible until the transaction
ends and would hold the job's row locked against the worker's heartbeat. The `progress`
database alias (settings: PostgreSQL only) is the same database in autocommit, used for
nothing but these updates of the job's progress, so the page that polls the job sees the
bar move while the rows are worked on. Decision record: docs/decisions/0072.

Without the alias (SQLite, the embedded default: a second writer would wait for the
import's write lock) nothing is written during the rows; the job reports before and after
them as before. A failed write (the database busy, a timeout) is logged once and ends the
writes of this job: progress never blocks or fails the work it reports on.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connections
from django.utils import timezone

if TYPE_CHECKING:
    from bruecke.jobs.models import Job

logger = logging.getLogger("bruecke.jobs")

PROGRESS_ALIAS = "progress"
# A write whenever this share of the total more is done (1 %): at most about 100 writes.
STEPS = 100


def outside_progress_available() -> bool:
    """Whether a separate progress connection is configured (PostgreSQL)."""
    return PROGRESS_ALIAS in settings.DATABASES


class OutsideProgress:
    """`progress(done)` for the rows of a long transaction: writes the job's progress
    through the progress connection each time another hundredth of `total` is done."""

    def __init__(self, job: Job, total: int) -> None:
        self.job, self.total = job, max(0, total)
        self.enabled = outside_progress_available() and self.total > 0
        self._step = max(1, self.total // STEPS)
        self._written = 0

    def __call__(self, done: int) -> None:
        if not self.enabled or (done - self._written < self._step and done < self.total):
            return
        self._written = done
        from bruecke.jobs.models import Job, JobState

        try:
            Job.objects.using(PROGRESS_ALIAS).filter(pk=self.job.pk, state=JobState.RUNNING).update(
                progress_done=min(done, self.total), progress_total=self.total, heartbeat_at=timezone.now()
            )
        except Exception as error:  # never fail the work for its progress bar
            self.enabled = False
            logger.warning(
                "Job %s: progress through the progress connection failed (%s); "
                "progress is reported again after the rows",
                self.job.pk,
                type(error).__name__,
            )

    def close(self) -> None:
        """Closes this thread's progress connection (the worker lives on between jobs)."""
        if outside_progress_available():
            connections[PROGRESS_ALIAS].close()
