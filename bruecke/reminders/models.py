"""The record of each daily run and of each notice it sent (decision 0031).

Neither holds personal data: a run keeps counts per step, a notice keeps the kind and the
record it is about (type and id), so that it is sent once however often the run repeats.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunOutcome(models.TextChoices):
    RUNNING = "running", _("running")
    OK = "ok", _("completed")
    FAILED = "failed", _("failed")


class ScheduleRun(models.Model):
    """One run of `run_schedule`: when, for which day, and per step its outcome and counts."""

    run_on = models.DateField(_("run for the day"))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=8, choices=RunOutcome.choices, default=RunOutcome.RUNNING
    )
    # {"step name": {"outcome": "ok" | "failed", "counts": {"created": 1, …}, "error": "TypeName"}}
    steps = models.JSONField(_("steps"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        indexes = [models.Index(fields=["run_on"])]

    def __str__(self) -> str:
        return f"{self.run_on:%d.%m.%Y} ({self.get_outcome_display()})"


class NoticeKind(models.TextChoices):
    BREACH_DEADLINE = "breach_deadline", _("breach notification deadline")
    TASK_DUE = "task_due", _("task due")
    CHECK_IN_MISSED = "check_in_missed", _("follow-up check-in missed")


class Notice(models.Model):
    """A notice the run has sent about one record. The unique constraint is what makes the
    sending once-only: a repeated or concurrent run fails to insert it and sends nothing."""

    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    object_type = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    # What the notice was about, where the same record may need a new notice later (the
    # due date of a task that was moved); empty otherwise.
    occasion = models.CharField(_("occasion"), max_length=32, blank=True)
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notice sent")
        verbose_name_plural = _("notices sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_type", "object_id", "occasion"], name="notice_once_per_occasion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_type}:{self.object_id}"
