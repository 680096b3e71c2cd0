"""The case timeline: one row per thing that happened in a case, written by the services.

Each service that changes a case (contact, assessment, plan, status, transfer, exit, and
later referrals and placements) appends an event in its own transaction through
`bruecke.cases.timeline.record_event`. Events hold no special-category data: `details`
carries only small, non-sensitive values (a channel, a status, a count) for the summary.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case


class EventKind(models.TextChoices):
    OPENED = "opened", _("case opened")
    CONTACT = "contact", _("counselling contact")
    ASSESSMENT = "assessment", _("barrier assessment")
    STATUS = "status", _("status changed")
    CASE_CHANGED = "case_changed", _("case details changed")
    PROFILE = "profile", _("profile updated")
    PLAN = "plan", _("integration plan")
    PLAN_STEP = "plan_step", _("plan step")
    DOCUMENT = "document", _("document")
    TASK = "task", _("task")
    TRANSFER = "transfer", _("transfer")
    CLOSED = "closed", _("case closed")
    FOLLOW_UP = "follow_up", _("follow-up after exit")
    PIPELINE = "pipeline", _("placement pipeline")
    WORK_PERMIT = "work_permit", _("work-permission application")
    PLACEMENT = "placement", _("placement")
    CHECK_IN = "check_in", _("follow-up after the start")
    REFERRAL = "referral", _("referral to a measure")
    LANGUAGE = "language", _("German level")
    RECOGNITION = "recognition", _("recognition of a qualification")
    SCHOOL = "school", _("school")
    ATTENDANCE = "attendance", _("group offer attendance")


class CaseEvent(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", verbose_name=_("case"))
    occurred_on = models.DateField(_("date"), default=datetime.date.today)
    created_at = models.DateTimeField(auto_now_add=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    # The record the event is about ("cases.contact", "42"), for linking and tracing.
    object_type = models.CharField(_("record type"), max_length=100, blank=True)
    object_id = models.CharField(_("record number"), max_length=64, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-created_at", "-id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        # The timeline's full order, so a page deep in a long timeline is read from the index.
        indexes = [
            models.Index(fields=["case", "-occurred_on", "-created_at", "-id"], name="cases_casee_case_order")
        ]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.get_kind_display()}"
