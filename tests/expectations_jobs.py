"""Persona × URL expectations for background jobs (merged into tests/access_expectations.py).

Every signed-in user has "Meine Aufträge"; a job's status and result belong to the one
user who started it (cm_a here), everyone else gets 404."""

from __future__ import annotations

from bruecke.jobs import runner
from bruecke.jobs.models import Job, JobState
from bruecke.jobs.services import job_start
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect, _everyone

MATRIX_JOB_TITLE = "Matrix job no. 1"


def demo_job(demo: DemoNetwork) -> Job:
    """A finished job of cm_a with its result file, made by the real runner."""
    user = demo.users["cm_a"]
    job = Job.objects.filter(created_by=user, title=MATRIX_JOB_TITLE, state=JobState.DONE).first()
    if job is not None and job.result_file().is_file():
        return job
    job = job_start(
        actor=user, kind="test.count", params={"steps": 2, "matrix": True}, title=MATRIX_JOB_TITLE
    )
    runner.run(str(job.pk))
    return Job.objects.get(pk=job.pk)


OWNER_ONLY = {ANON: LOGIN_REDIRECT, "cm_a": 200}

EXPECTATIONS: dict[str, Expect] = {
    "jobs:list": Expect(default=200, statuses=_everyone(200)),
    "jobs:status": Expect(
        default=404, statuses=OWNER_ONLY, kwargs=lambda demo: {"job_id": demo_job(demo).pk}, is_page=False
    ),
    "jobs:download": Expect(
        default=404,
        statuses=OWNER_ONLY,
        kwargs=lambda demo: {"job_id": demo_job(demo).pk},
        is_page=False,
        secret=lambda demo: "step 2",
    ),
}
