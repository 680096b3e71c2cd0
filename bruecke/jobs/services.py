"""Every write to jobs: start, progress, the runner's state changes, and the housekeeping.

State changes are audited in the same transaction (the worker's own ones without an
actor). Progress and heartbeat updates are not: they are bookkeeping of a running job,
written many times a minute, carry no personal data, and the audit log would drown in
them (docs/decisions/0029).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_noop

from bruecke.core.access import memberships
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.jobs import files
from bruecke.jobs.models import ACTIVE_STATES, Job, JobState
from bruecke.jobs.registry import (
    JobFailed,
    JobInputGone,
    JobOutput,
    Progress,
    handler_for,
    job_handler,
)

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation

__all__ = [
    "JobFailed",
    "JobInputGone",
    "JobOutput",
    "Progress",
    "delete_expired_results",
    "job_handler",
    "job_progress",
    "job_start",
    "reap_stale_jobs",
]

INTERRUPTED = gettext_noop(
    "The job was interrupted (the server stopped while it ran). Please start it again."
)
PARAMS_MAX_CHARS = 2000
_SCALARS = (int, str, bool, type(None))


def params_digest(params: dict[str, Any]) -> str:
    canonical = json.dumps(params, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _check_params(params: dict[str, Any]) -> None:
    """Parameters are record ids and simple options, never objects or free text."""
    if not isinstance(params, dict) or not all(isinstance(key, str) for key in params):
        raise ValueError("Job parameters must be a dict with string keys.")
    for value in params.values():
        items = value if isinstance(value, list) else [value]
        if not all(isinstance(item, _SCALARS) for item in items):
            raise ValueError("Job parameters must be ids and simple values.")
    if len(json.dumps(params)) > PARAMS_MAX_CHARS:
        raise ValueError("Job parameters are too long.")


def _default_organisation(actor: User) -> Organisation | None:
    """The actor's organisation when there is exactly one (the usual case)."""
    organisations = {m.organisation_id: m.organisation for m in memberships(actor)}
    return next(iter(organisations.values())) if len(organisations) == 1 else None


@transaction.atomic
def job_start(
    *,
    actor: User,
    kind: str,
    params: dict[str, Any],
    title: str,
    organisation: Organisation | None = None,
) -> Job:
    """Creates the job and queues it once the transaction commits.

    While the same user's job of the same kind with the same parameters is waiting or
    running, that job is returned instead of a second one; a unique constraint makes this
    hold for two requests at the same moment as well.
    """
    if handler_for(kind) is None:
        raise ValueError(f"Unknown job kind {kind!r}.")
    _check_params(params)
    digest = params_digest(params)
    for _attempt in range(3):
        existing = Job.objects.filter(
            created_by=actor, kind=kind, params_digest=digest, state__in=ACTIVE_STATES
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                job = Job.objects.create(
                    created_by=actor,
                    organisation=organisation or _default_organisation(actor),
                    kind=kind,
                    title=str(title)[:200],
                    params=params,
                    params_digest=digest,
                )
        except IntegrityError:
            continue  # the other request's job committed first: return it on the next round
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=job,
            changed_fields=["kind", "title", "params", "state"],
        )
        transaction.on_commit(partial(_enqueue, job.pk))
        return job
    raise RuntimeError("Could not start the job.")


def _enqueue(job_id: Any) -> None:
    from bruecke.jobs.tasks import run_job

    result = run_job.enqueue(str(job_id))
    Job.objects.filter(pk=job_id).update(task_result_id=str(result.id))


def _audit_worker_change(job: Job, fields: Iterable[str]) -> None:
    audit_record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=job,
        organisation=job.organisation,
        changed_fields=fields,
    )


@transaction.atomic
def job_claim(*, job_id: Any, now: datetime | None = None) -> Job | None:
    """Marks a waiting job running (the worker, before the handler). None if the job is
    gone or no longer waiting: a second delivery of the task does nothing."""
    now = now or timezone.now()
    claimed = Job.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return None
    job = Job.objects.select_related("organisation").get(pk=job_id)
    _audit_worker_change(job, ["state", "started_at"])
    return job


def job_progress(*, job: Job, done: int, total: int | None = None) -> None:
    """Records how far a running job is (and that its worker is alive). Not audited."""
    changes: dict[str, Any] = {"progress_done": max(0, done), "heartbeat_at": timezone.now()}
    if total is not None:
        changes["progress_total"] = max(0, total)
    Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(**changes)
    for name, value in changes.items():
        setattr(job, name, value)


def job_heartbeat(*, job_id: Any) -> None:
    """The worker is still working on the job (between progress reports). Not audited."""
    Job.objects.filter(pk=job_id, state=JobState.RUNNING).update(heartbeat_at=timezone.now())


@transaction.atomic
def job_complete(*, job: Job, result_path: str, filename: str, content_type: str, size: int) -> bool:
    """Offers the finished result. False if the job is no longer running (the housekeeping
    declared it interrupted meanwhile); the caller then removes the file."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "state": JobState.DONE,
        "finished_at": now,
        "heartbeat_at": now,
        "result_path": result_path,
        "result_filename": filename[:255],
        "result_content_type": content_type[:100],
        "result_size": size,
        "expires_at": now + timedelta(days=settings.JOB_RESULT_DAYS),
    }
    if job.progress_total is not None:
        fields["progress_done"] = job.progress_total
    if not Job.objects.filter(pk=job.pk, state=JobState.RUNNING).update(**fields):
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    _audit_worker_change(job, fields)
    return True


@transaction.atomic
def job_fail(*, job: Job, message: str, now: datetime | None = None) -> bool:
    """Marks a waiting or running job failed with `message` (a fixed msgid)."""
    now = now or timezone.now()
    fields = {"state": JobState.FAILED, "finished_at": now, "error_message": message[:300]}
    if not Job.objects.filter(pk=job.pk, state__in=ACTIVE_STATES).update(**fields):
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    _audit_worker_change(job, fields)
    return True


def reap_stale_jobs(now: datetime | None = None) -> int:
    """Fails jobs whose worker died: running without a heartbeat for JOB_STALE_MINUTES, or
    still waiting that long although their task was taken or never queued. Removes what
    they left in the results directory. Returns how many jobs it failed."""
    now = now or timezone.now()
    limit = now - timedelta(minutes=settings.JOB_STALE_MINUTES)
    running = (
        Job.objects.select_related("organisation")
        .filter(state=JobState.RUNNING)
        .filter(Q(heartbeat_at__lt=limit) | Q(heartbeat_at__isnull=True, started_at__lt=limit))
    )
    candidates = list(running) + _lost_queued_jobs(limit)
    failed = 0
    for job in candidates:
        if _reap(job, now):
            failed += 1
    return failed


def _lost_queued_jobs(limit: datetime) -> list[Job]:
    from django_tasks_db.models import DBTaskResult

    waiting = list(
        Job.objects.select_related("organisation").filter(state=JobState.QUEUED, created_at__lt=limit)
    )
    task_ids = [job.task_result_id for job in waiting if job.task_result_id]
    ready = {
        str(pk)
        for pk in DBTaskResult.objects.filter(pk__in=task_ids, status="READY").values_list("pk", flat=True)
    }
    return [job for job in waiting if job.task_result_id not in ready]


@transaction.atomic
def _reap(job: Job, now: datetime) -> bool:
    # Only if nothing changed since it was read: a worker that just reported keeps its job.
    fields = {"state": JobState.FAILED, "finished_at": now, "error_message": INTERRUPTED}
    same = Job.objects.filter(pk=job.pk, state=job.state, heartbeat_at=job.heartbeat_at)
    if not same.update(**fields):
        return False
    for name, value in fields.items():
        setattr(job, name, value)
    _audit_worker_change(job, fields)
    transaction.on_commit(partial(files.discard, job.pk))
    return True


def delete_expired_results(now: datetime | None = None) -> int:
    """Deletes result files past their `expires_at` and marks the jobs expired. Returns
    how many results it deleted."""
    now = now or timezone.now()
    expired = 0
    for job in Job.objects.filter(state=JobState.DONE, expires_at__lte=now).select_related("organisation"):
        if _expire(job):
            expired += 1
    return expired


@transaction.atomic
def _expire(job: Job) -> bool:
    path = job.result_path
    if not Job.objects.filter(pk=job.pk, state=JobState.DONE).update(state=JobState.EXPIRED, result_path=""):
        return False
    job.state, job.result_path = JobState.EXPIRED, ""
    _audit_worker_change(job, ["state", "result_path"])
    transaction.on_commit(partial(files.delete_result, path))
    return True


def prune_task_rows(now: datetime | None = None) -> int:
    """Deletes django-tasks' own queue rows that finished (or were left running by a killed
    worker) longer ago than a result is kept. They hold only a job id, the record users
    see is `Job` (audited), so this queue bookkeeping is deleted without audit events."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - timedelta(days=settings.JOB_RESULT_DAYS)
    finished = Q(finished_at__lt=cutoff)
    abandoned = Q(finished_at__isnull=True, started_at__lt=cutoff)  # a killed worker's row
    deleted, _ = DBTaskResult.objects.filter(finished | abandoned).delete()
    return deleted
