"""Running queued jobs in tests with the real task worker of django-tasks-db.

`run_queued_jobs()` runs, in this process and this test's transaction, every task the
database backend holds, through the library's own `Worker.run_task` (what `run_worker`
does, without its connection handling, which would close the test's connection).
Tasks are enqueued when the starting transaction commits: wrap `job_start` in
`django_capture_on_commit_callbacks(execute=True)` in non-transactional tests.
"""

from __future__ import annotations

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

from bruecke.jobs.models import Job


def run_queued_jobs(backend_name: str = "default") -> int:
    """Runs every ready task; returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=backend_name,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-in-process",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        # Claimed as the library's loop claims it: locked, in a transaction of its own.
        with exclusive_transaction():
            task = DBTaskResult.objects.ready().filter(backend_name=backend_name).get_locked()
            if task is not None:
                task.claim(worker.worker_id)
        if task is None:
            return ran
        worker.run_task(task)
        ran += 1


def refreshed(job: Job) -> Job:
    return Job.objects.get(pk=job.pk)
