"""A background job the user started: what it does, how far it is, and its result file."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


# A job in one of these states holds its place: starting the same job again returns it.
ACTIVE_STATES = (JobState.QUEUED, JobState.RUNNING)


class Job(models.Model):
    """One run of a registered job kind for one user.

    Holds no personal data: the title names records by reference only, the parameters are
    ids, and the error message is a fixed text (stored as its English msgid, shown in the
    reader's language). The id is a random UUID because it appears in addresses.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    # The organisation the job works for; None for jobs about no organisation's data.
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # SHA-256 of the canonical JSON of `params`: what the one-active-job constraint compares
    # (JSON columns compare differently on SQLite and PostgreSQL).
    params_digest = models.CharField(_("parameter fingerprint"), max_length=64)
    state = models.CharField(_("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveIntegerField(_("progress"), default=0)
    progress_total = models.PositiveIntegerField(_("total"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error_message = models.CharField(_("error message"), max_length=300, blank=True)
    # Relative to settings.JOB_RESULTS_DIR; empty until the complete file is in place.
    result_path = models.CharField(_("result file"), max_length=255, blank=True)
    result_filename = models.CharField(_("file name"), max_length=255, blank=True)
    result_content_type = models.CharField(_("file type"), max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField(_("file size"), null=True, blank=True)
    expires_at = models.DateTimeField(_("available until"), null=True, blank=True)
    task_result_id = models.CharField(_("task number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two clicks on the same button give one job, even when both requests race.
            models.UniqueConstraint(
                fields=["created_by", "kind", "params_digest"],
                condition=Q(state__in=["queued", "running"]),
                name="jobs_one_active_job_per_request",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed", "expired"]),
                name="jobs_state_valid",
            ),
        ]
        indexes = [
            # "Meine Aufträge": the user's jobs, newest first.
            models.Index(fields=["created_by", "-created_at"], name="jobs_user_newest_idx"),
            # Housekeeping: stale running jobs and expired results.
            models.Index(fields=["state", "heartbeat_at"], name="jobs_state_heartbeat_idx"),
            models.Index(fields=["state", "expires_at"], name="jobs_state_expires_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def is_downloadable(self) -> bool:
        return self.state == JobState.DONE and bool(self.result_path)

    @property
    def error_text(self) -> str:
        """The error message in the reader's language."""
        return gettext(self.error_message) if self.error_message else ""

    @property
    def progress_percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, self.progress_done * 100 // self.progress_total)

    def result_file(self) -> Path:
        return Path(settings.JOB_RESULTS_DIR) / self.result_path
