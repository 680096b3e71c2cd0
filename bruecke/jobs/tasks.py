"""The one task of the task queue: run a job. Its only argument is the job id, so the
task table (django_tasks_db) never holds parameters."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: str) -> str:
    from bruecke.jobs import runner

    return runner.run(job_id)
