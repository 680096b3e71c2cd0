"""Job kinds for the tests of the job framework (installed only with the test app)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import IO

from django.utils import timezone

from bruecke.jobs.models import Job
from bruecke.jobs.services import JobInputGone, JobOutput, Progress, job_handler, reap_stale_jobs
from tests.testapp.models import SensitiveNote

# What the failing handler's exception says: a name, as a real validation error might.
PERSONAL_MESSAGE = "Amina Haddad (born 03.04.1991) has no address"
GATE_TIMEOUT_SECONDS = 60


def _wait_for(gate: str) -> None:
    """Blocks until the test creates the file `gate` (the job is then "in the middle")."""
    deadline = time.monotonic() + GATE_TIMEOUT_SECONDS
    while not Path(gate).exists():
        if time.monotonic() > deadline:
            raise TimeoutError("gate never opened")
        time.sleep(0.05)


@job_handler("test.count")
def count(job: Job, progress: Progress) -> JobOutput:
    """Counts to params["steps"]; with params["gate"], stops after the first step until
    the gate file exists."""
    steps = int(job.params.get("steps", 3))
    gate = job.params.get("gate")
    lines = []
    for step in range(1, steps + 1):
        lines.append(f"step {step}")
        progress(step, steps)
        if gate and step == 1:
            _wait_for(str(gate))
    return JobOutput(filename="count.txt", content_type="text/plain", content="\n".join(lines).encode())


@job_handler("test.note")
def note(job: Job, progress: Progress) -> JobOutput:
    """Reads its input record by id: gone before the job ran is JobInputGone."""
    record = SensitiveNote.objects.filter(pk=job.params.get("note_id")).first()
    if record is None:
        raise JobInputGone
    progress(1, 1)
    return JobOutput(
        filename=f"note-{record.pk}.txt", content_type="text/plain", content=record.title.encode()
    )


@job_handler("test.explode")
def explode(job: Job, progress: Progress) -> JobOutput:
    progress(0, 2)
    raise ValueError(PERSONAL_MESSAGE)


@job_handler("test.stream")
def stream(job: Job, progress: Progress) -> JobOutput:
    """A result written in pieces (too large to hold in memory); with params["gate"], it
    stops after the first piece (half a file on disk) until the gate file exists."""
    pieces = int(job.params.get("pieces", 4))
    gate = job.params.get("gate")

    def write(handle: IO[bytes]) -> None:
        for piece in range(pieces):
            handle.write(b"x" * 1000)
            handle.flush()
            progress(piece + 1, pieces)
            if gate and piece == 0:
                _wait_for(str(gate))

    return JobOutput(filename="stream.bin", content_type="application/octet-stream", write=write)


@job_handler("test.outlived")
def outlived(job: Job, progress: Progress) -> JobOutput:
    """While it works, the housekeeping (run as if much later) declares it interrupted:
    what a worker that hung past JOB_STALE_MINUTES finds when it wakes up."""
    progress(1, 2)
    reap_stale_jobs(now=timezone.now() + timedelta(days=1))
    return JobOutput(filename="late.txt", content_type="text/plain", content=b"too late")
