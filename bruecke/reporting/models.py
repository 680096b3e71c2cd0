"""A project's targets as data: what the funding decision names, and the hand-entered
progress of the targets no figure of the app counts (decision 0051)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel
from bruecke.placement.models.placements import PlacementKind

# A target above this is a typing error, not a funding decision.
MAX_TARGET_VALUE = 10_000_000


class TargetKind(models.TextChoices):
    PARTICIPANTS = "participants", _("participants entered")
    PLACEMENTS = "placements", _("placements")
    TRAININGS = "trainings", _("trainings for partners held")
    ORGANISATIONS_TRAINED = "organisations_trained", _("organisations reached by trainings")
    EVENTS = "events", _("awareness events held")
    EVENT_AUDIENCE = "event_audience", _("audience of awareness events")
    REFERRALS = "referrals", _("referrals made")
    GROUP_PARTICIPANTS = "group_participants", _("participants of group offers")
    CUSTOM = "custom", _("other (progress entered by hand)")


class ProjectTarget(VersionedModel, TimestampedModel):
    """One target of a project, e.g. "at least 840 participants by 30.06.2019"."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="targets", verbose_name=_("project")
    )
    kind = models.CharField(_("what is counted"), max_length=24, choices=TargetKind.choices)
    placement_kind = models.CharField(
        _("kind of placement"),
        max_length=20,
        choices=PlacementKind.choices,
        blank=True,
        help_text=_("Only for placement targets: empty counts every kind of placement."),
    )
    label = models.CharField(_("label"), max_length=200)
    value = models.PositiveIntegerField(
        _("target value"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_VALUE)]
    )
    due_on = models.DateField(
        _("due date"), null=True, blank=True, help_text=_("Empty: the end of the project.")
    )
    note = models.TextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["project", "id"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return self.label

    @property
    def due_date(self) -> datetime.date | None:
        return self.due_on or self.project.ends_on

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.placement_kind and self.kind != TargetKind.PLACEMENTS:
            errors["placement_kind"] = _("A kind of placement only belongs to a placement target.")
        if self.due_on and self.project_id and self.due_on < self.project.starts_on:
            errors["due_on"] = _("The due date cannot be before the start of the project.")
        if errors:
            raise ValidationError(errors)


class TargetProgress(TimestampedModel):
    """Progress of a custom target, entered by hand: `value` more on `date`."""

    target = models.ForeignKey(
        ProjectTarget, on_delete=models.CASCADE, related_name="progress", verbose_name=_("target")
    )
    date = models.DateField(_("date"))
    value = models.PositiveIntegerField(
        _("achieved"), validators=[MinValueValidator(1), MaxValueValidator(MAX_TARGET_VALUE)]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["target", "-date", "-id"]
        verbose_name = _("progress of a target")
        verbose_name_plural = _("progress of targets")
        indexes = [models.Index(fields=["target", "date"])]

    def __str__(self) -> str:
        return f"{self.value} ({self.date:%d.%m.%Y})"

    def clean(self) -> None:
        if self.date and self.date > datetime.date.today():
            raise ValidationError({"date": _("Progress cannot be entered for a future date.")})
        if self.date and self.target_id and self.date < self.target.project.starts_on:
            raise ValidationError({"date": _("The date cannot be before the start of the project.")})
