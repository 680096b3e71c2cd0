"""Runs one job in the worker: waiting -> running -> done or failed.

Whatever a handler raises ends as a failed job with a message the user understands. The
operator's log line names the job, its kind, the exception class and the traceback frames,
but never the exception message or the parameters: both can hold personal data (a name in
a validation error, an address in a database error).
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import connection

from bruecke.jobs import files, services
from bruecke.jobs.models import Job
from bruecke.jobs.registry import JobFailed, handler_for

logger = logging.getLogger("bruecke.jobs")

GENERIC_FAILURE = JobFailed.default_message
# Progress is written at most this often (a handler may report every row of a long list).
PROGRESS_MIN_SECONDS = 0.5


def run(job_id: str) -> str:
    """The body of the task: returns the job's final state (or "skipped")."""
    job = services.job_claim(job_id=job_id)
    if job is None:
        return "skipped"
    handler = handler_for(job.kind)
    if handler is None:
        logger.error("Job %s: no handler registered for kind %s", job.pk, job.kind)
        services.job_fail(job=job, message=GENERIC_FAILURE)
        return job.state
    with _Heartbeat(job.pk):
        try:
            output = handler(job, _ProgressReporter(job))
            result_path, size = files.write_result(job.pk, output)
        except JobFailed as error:
            files.discard(job.pk)
            logger.warning("Job %s of kind %s failed: %s", job.pk, job.kind, _exception_name(error))
            services.job_fail(job=job, message=error.message)
        except (KeyboardInterrupt, SystemExit):
            files.discard(job.pk)
            services.job_fail(job=job, message=services.INTERRUPTED)
            raise
        except Exception as error:
            files.discard(job.pk)
            log_failure(job, error)
            services.job_fail(job=job, message=GENERIC_FAILURE)
        else:
            completed = services.job_complete(
                job=job,
                result_path=result_path,
                filename=output.filename,
                content_type=output.content_type,
                size=size,
            )
            if not completed:  # declared interrupted meanwhile: never offer its file
                files.discard(job.pk)
    return job.state


def _exception_name(error: BaseException) -> str:
    kind = type(error)
    return f"{kind.__module__}.{kind.__qualname__}"


def log_failure(job: Job, error: BaseException) -> None:
    """The operator's record of an unexpected failure: where, not what (no message)."""
    frames = "".join(traceback.format_list(traceback.extract_tb(error.__traceback__)))
    causes: list[str] = []
    cause = error.__cause__ or error.__context__
    while cause is not None and len(causes) < 5:
        causes.append(_exception_name(cause))
        cause = cause.__cause__ or cause.__context__
    logger.error(
        "Job %s of kind %s failed with %s%s (message withheld: it may hold personal data)\n"
        "Traceback (most recent call last):\n%s",
        job.pk,
        job.kind,
        _exception_name(error),
        f", caused by {', '.join(causes)}" if causes else "",
        frames,
    )


class _ProgressReporter:
    """The progress callback handed to a handler: `progress(done, total=None)`."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self._last = 0.0

    def __call__(self, done: int, total: int | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        first = self._last == 0.0
        if first or finished or now - self._last >= PROGRESS_MIN_SECONDS:
            services.job_progress(job=self.job, done=done, total=total)
            self._last = now
        else:  # keep the numbers for the next write
            self.job.progress_done = done
            if total is not None:
                self.job.progress_total = total


class _Heartbeat:
    """Tells the housekeeping the worker is alive while a handler works between progress
    reports (a single long PDF rendering). Dies with the worker process: a killed worker
    stops beating and its job is reaped."""

    def __init__(self, job_id: Any) -> None:
        self.job_id = job_id
        # Several beats within the stale period, so one slow database write is no death.
        self.interval = settings.JOB_STALE_MINUTES * 60 / 5
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"job-heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _beat(self) -> None:
        try:
            while not self._stop.wait(self.interval):
                services.job_heartbeat(job_id=self.job_id)
        except Exception as error:  # the job goes on; the housekeeping may reap it
            logger.warning("Job %s: heartbeat failed with %s", self.job_id, _exception_name(error))
        finally:
            connection.close()  # this thread's own connection
