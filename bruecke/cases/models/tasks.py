"""Tasks and reminders: per case or free, assigned to one staff member.

Tasks come from plan steps, document expiry, the follow-up after exit and the daily run's
residence-document reminders (`source` with a
reference to the record they come from, kept in sync by that record's service) or are
written by staff (`MANUAL`). A task is done once; the "my day" list shows the open ones.
Staff tasks can be changed while open (title, due date, assignee), with optimistic locking;
generated tasks follow their source and are changed there.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel


class TaskSource(models.TextChoices):
    MANUAL = "manual", _("task")
    PLAN_STEP = "plan_step", _("plan step")
    DOCUMENT_EXPIRY = "document_expiry", _("document expires")
    FOLLOW_UP = "follow_up", _("follow-up after exit")
    TRANSFER = "transfer", _("transfer to accept")
    # Created by the daily run (bruecke.reminders) for the participant's current document.
    RESIDENCE_EXPIRY = "residence_expiry", _("residence document expires")


class Task(VersionedModel, OrganisationScopedModel):
    case = models.ForeignKey(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=_("case"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned to")
    )
    title = models.CharField(_("task"), max_length=200)
    due_on = models.DateField(_("due on"))
    source = models.CharField(
        _("source"), max_length=20, choices=TaskSource.choices, default=TaskSource.MANUAL
    )
    # The record a generated task belongs to ("cases.planstep", "17"); empty for manual tasks.
    source_type = models.CharField(_("source type"), max_length=100, blank=True)
    source_id = models.CharField(_("source record"), max_length=64, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("done by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "done_on", "due_on"]),
            models.Index(fields=["case", "done_on", "due_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                condition=~models.Q(source_type=""),
                name="task_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on:%d.%m.%Y})"

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    def is_overdue(self, today: datetime.date) -> bool:
        return self.done_on is None and self.due_on < today
