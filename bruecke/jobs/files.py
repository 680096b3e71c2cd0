"""Result files of jobs: outside the web root, written whole or not at all.

A result is written to `<job id>.part` in the results directory and renamed to
`<job id>.result` only when complete; `os.replace` within one directory is atomic, so the
download view never sees half a file. Temporary names are derived from the job id, so the
housekeeping finds what a killed worker left behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from bruecke.jobs.registry import JobOutput

_CHUNK = 1024 * 1024


def results_dir() -> Path:
    directory = Path(settings.JOB_RESULTS_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def temp_path(job_id: object) -> Path:
    return results_dir() / f"{job_id}.part"


def result_name(job_id: object) -> str:
    return f"{job_id}.result"


def write_result(job_id: object, output: JobOutput) -> tuple[str, int]:
    """Writes `output` and moves it into place; returns (path relative to the results
    directory, size in bytes)."""
    temp = temp_path(job_id)
    temp.unlink(missing_ok=True)  # a previous attempt of this job
    # 0o600: the file may hold personal data; only the service account reads it.
    descriptor = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if output.content is not None:
                handle.write(output.content)
            elif output.write is not None:
                output.write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        size = temp.stat().st_size
        name = result_name(job_id)
        os.replace(temp, results_dir() / name)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return name, size


def discard(job_id: object) -> None:
    """Removes the temporary and the final file of a job (a failed or expired one)."""
    temp_path(job_id).unlink(missing_ok=True)
    (results_dir() / result_name(job_id)).unlink(missing_ok=True)


def delete_result(relative_path: str) -> None:
    if relative_path:
        (results_dir() / relative_path).unlink(missing_ok=True)
