"""Placements (a participant started work, training or school) and the follow-up after it.

`Placement` is what the reports count: by kind, start date, organisation and team, with the
status six months after the start. `CheckIn` rows are the scheduled follow-up contacts
(Nachbetreuung), created with the placement from the organisation's intervals.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Organisation
from bruecke.placement.models.employers import Employer
from bruecke.placement.models.opportunities import Opportunity
from bruecke.placement.models.pipeline import Application

DEFAULT_CHECK_IN_MONTHS = (1, 3, 6)


class PlacementKind(models.TextChoices):
    EMPLOYMENT = "employment", _("employment subject to social insurance")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    MINIJOB = "minijob", _("mini-job")
    SELF_EMPLOYMENT = "self_employment", _("self-employment")
    INTERNSHIP = "internship", _("internship")
    EQ = "eq", _("Einstiegsqualifizierung")
    VOLUNTEER_SERVICE = "volunteer_service", _("BFD / FSJ")
    SCHOOL = "school", _("school")


# Kinds that answer the ESF exit questionnaire's "in employment" (incl. self-employment).
EMPLOYMENT_KINDS = frozenset({PlacementKind.EMPLOYMENT, PlacementKind.MINIJOB, PlacementKind.SELF_EMPLOYMENT})
# Kinds that count as education or training there.
TRAINING_KINDS = frozenset({PlacementKind.APPRENTICESHIP, PlacementKind.EQ, PlacementKind.SCHOOL})


class WageBand(models.TextChoices):
    UNPAID = "unpaid", _("unpaid")
    MINIJOB = "minijob", _("up to the mini-job limit")
    MINIMUM = "minimum", _("minimum wage")
    ABOVE_MINIMUM = "above_minimum", _("above minimum wage")
    TRAINING = "training", _("training allowance")
    STANDARD = "standard", _("standard or collective wage")


class SixMonthStatus(models.TextChoices):
    STILL_THERE = "still_there", _("still there")
    SAME_EMPLOYER_CHANGED = "changed_role", _("still with the employer, other position")
    OTHER_WORK = "other_work", _("in other work or training")
    ENDED = "ended", _("ended, not in work")
    UNKNOWN = "unknown", _("unknown")


class PlacementStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    AT_RISK = "at_risk", _("at risk of dropping out")
    ENDED = "ended", _("ended")


class Placement(VersionedModel, OrganisationScopedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="placements", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+", editable=False
    )
    team = models.ForeignKey(
        "network.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placement",
        verbose_name=_("pipeline entry"),
    )
    opportunity = models.ForeignKey(
        Opportunity,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("opportunity"),
    )
    employer = models.ForeignKey(
        Employer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("employer"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlacementKind.choices)
    start_date = models.DateField(_("start date"))
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    wage_band = models.CharField(_("wage band"), max_length=16, choices=WageBand.choices, blank=True)
    fixed_term_until = models.DateField(_("fixed term until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=PlacementStatus.choices, default=PlacementStatus.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for the end"), max_length=300, blank=True)
    status_6_months = models.CharField(
        _("status 6 months after the start"), max_length=12, choices=SixMonthStatus.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        indexes = [
            models.Index(fields=["organisation", "team", "start_date"]),
            models.Index(fields=["organisation", "kind", "start_date"]),
            models.Index(fields=["participant"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.fixed_term_until and self.start_date and self.fixed_term_until < self.start_date:
            errors["fixed_term_until"] = _("The fixed term cannot end before the start.")
        if self.ended_on and self.start_date and self.ended_on < self.start_date:
            errors["ended_on"] = _("The end cannot be before the start.")
        if self.status == PlacementStatus.ENDED and not self.ended_on:
            errors["ended_on"] = _("Please give the date the placement ended.")
        if (
            self.kind != PlacementKind.SCHOOL
            and self.kind != PlacementKind.SELF_EMPLOYMENT
            and not self.employer_id
        ):
            errors["employer"] = _("Please choose the employer.")
        if errors:
            raise ValidationError(errors)


class CheckInOutcome(models.TextChoices):
    FINE = "fine", _("going well")
    PROBLEM = "problem", _("problem noted")
    AT_RISK = "at_risk", _("risk of dropping out")
    ENDED = "ended", _("placement has ended")
    NOT_REACHED = "not_reached", _("not reached")


class CheckIn(VersionedModel, TimestampedModel):
    """A scheduled follow-up contact after the start (Nachbetreuung)."""

    placement = models.ForeignKey(
        Placement, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("placement")
    )
    months_after_start = models.PositiveSmallIntegerField(_("months after the start"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CheckInOutcome.choices, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [models.Index(fields=["done_on", "due_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "months_after_start"], name="check_in_once_per_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on} ({self.months_after_start})"

    @property
    def audit_organisation(self) -> Organisation:
        return self.placement.organisation
