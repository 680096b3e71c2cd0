"""The integration plan (Förderplan): goals with steps, agreed with the participant.

One plan per case, created when it is first edited. Every save agrees a new version:
`PlanVersion` keeps an immutable snapshot of the goals and steps, so earlier versions can
be shown and printed as they were agreed. The current plan is locked optimistically.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case
from bruecke.core.locking import VersionedModel
from bruecke.core.models import AppendOnlyError, TimestampedModel
from bruecke.network.models import Organisation


class GoalStatus(models.TextChoices):
    OPEN = "open", _("open")
    ACHIEVED = "achieved", _("achieved")
    DROPPED = "dropped", _("dropped")


class StepStatus(models.TextChoices):
    OPEN = "open", _("open")
    DONE = "done", _("done")
    DROPPED = "dropped", _("dropped")


class Responsible(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    COUNSELLOR = "counsellor", _("counsellor")
    OTHER = "other", _("someone else")


class Plan(VersionedModel, TimestampedModel):
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="plan", verbose_name=_("case"))
    # The day the plan was first agreed; steps cannot be due before it.
    made_on = models.DateField(_("plan made on"))
    agreed_on = models.DateField(_("agreed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("made by")
    )

    class Meta:
        verbose_name = _("integration plan")
        verbose_name_plural = _("integration plans")

    def __str__(self) -> str:
        return f"{self.case} – {self.agreed_on:%d.%m.%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.case.organisation


class Goal(models.Model):
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("integration plan")
    )
    title = models.CharField(_("goal"), max_length=200)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=GoalStatus.choices, default=GoalStatus.OPEN)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self) -> str:
        return self.title


class Step(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    description = models.CharField(_("step"), max_length=300)
    responsible = models.CharField(
        _("responsible"), max_length=12, choices=Responsible.choices, default=Responsible.PARTICIPANT
    )
    responsible_name = models.CharField(_("name of the other"), max_length=100, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=StepStatus.choices, default=StepStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("plan step")
        verbose_name_plural = _("plan steps")

    def __str__(self) -> str:
        return self.description

    @property
    def responsible_label(self) -> str:
        if self.responsible == Responsible.OTHER and self.responsible_name:
            return self.responsible_name
        return str(self.get_responsible_display())


class PlanVersion(models.Model):
    """An agreed version of the plan, frozen: saved once, never changed or deleted."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("integration plan")
    )
    number = models.PositiveIntegerField(_("version"))
    agreed_on = models.DateField(_("agreed on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("saved by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # {"goals": [{"title", "target_on", "status", "steps": [{"description", ...}]}]}
    snapshot = models.JSONField(_("goals and steps"), default=dict)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")]

    def __str__(self) -> str:
        return f"v{self.number} ({self.agreed_on:%d.%m.%Y})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("An agreed plan version cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("An agreed plan version cannot be deleted.")

    @property
    def audit_organisation(self) -> Organisation:
        return self.plan.case.organisation
