"""Reads of jobs for the user who asks; scope comes from `core.access.job_filter`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bruecke.core import access
from bruecke.jobs.models import Job, JobState

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from bruecke.accounts.models import User


def jobs_visible_to(user: User | AnonymousUser) -> QuerySet[Job]:
    """The user's own jobs, newest first (the "Meine Aufträge" list)."""
    return Job.objects.filter(access.job_filter(user)).order_by("-created_at", "-id")


def job_get_for_user(user: User | AnonymousUser, job_id: Any) -> Job:
    """One of the user's jobs; anybody else's or an unknown id is 404."""
    return access.get_or_404(jobs_visible_to(user), pk=job_id)


def job_result_for_user(user: User | AnonymousUser, job_id: Any) -> Job:
    """A job whose result the user may download now: their own, done, not expired, the
    file in place. Everything else is 404 (not yet done, failed, expired, foreign)."""
    job = job_get_for_user(user, job_id)
    # Past its expiry the result is gone for the user even before the housekeeping ran.
    expired = job.expires_at is None or job.expires_at <= timezone.now()
    if job.state != JobState.DONE or expired or not job.result_path or not job.result_file().is_file():
        raise Http404
    return job
