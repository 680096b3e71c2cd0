"""Opportunities: vacancies, apprenticeships, internships and the other ways into work.

Each kind maps to one activity of the work-permission engine (`ACTIVITY`), which is asked
for every opportunity on its start date. The place (coordinates) is copied from the site so
matching can compute distances in SQL; `german_rank` mirrors `german_level` as a number.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel
from bruecke.placement.models.catalogue import Occupation
from bruecke.placement.models.employers import Employer, EmployerContact, EmployerSite
from bruecke.rules.types import Activity

MAX_PLACES = 500
SHORT_INTERNSHIP_DAYS = 92  # "up to three months" (§ 22 MiLoG)


class OpportunityKind(models.TextChoices):
    JOB = "job", _("job")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship (Ausbildung)")
    INTERNSHIP = "internship", _("internship")
    HOSPITATION = "hospitation", _("job shadowing (Hospitation)")
    EQ = "eq", _("Einstiegsqualifizierung")
    BFD = "bfd", _("Federal volunteer service (BFD)")
    FSJ = "fsj", _("Voluntary social year (FSJ)")
    TRIAL_WORK = "trial_work", _("trial work (Probearbeit)")


class InternshipKind(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory (part of a school, training or study regulation)")
    ORIENTATION = "orientation", _("orientation, up to 3 months")
    ACCOMPANYING = "accompanying", _("accompanying a training or study, up to 3 months")
    OTHER = "other", _("other internship")


class WorkingTime(models.TextChoices):
    FULL_TIME = "full", _("full time")
    PART_TIME = "part", _("part time")
    EITHER = "either", _("full or part time")


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("draft (submitted by the employer)")
    OPEN = "open", _("open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class OpportunitySource(models.TextChoices):
    STAFF = "staff", _("recorded by staff")
    EMPLOYER_LINK = "employer_link", _("submitted by the employer")


# CEFR levels as numbers, for comparisons in SQL (participants.CefrLevel values).
GERMAN_RANK = {"": 0, "none": 0, "A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}


class GermanLevel(models.TextChoices):
    NONE = "", _("no requirement")
    A1 = "A1", "A1"
    A2 = "A2", "A2"
    B1 = "B1", "B1"
    B2 = "B2", "B2"
    C1 = "C1", "C1"
    C2 = "C2", "C2"


# What the work-permission engine is asked for each kind (trial work is employment:
# work-permission-law.md §2 table, "Probebeschäftigung": ABH + BA).
ACTIVITY: dict[str, Activity] = {
    OpportunityKind.JOB: Activity.EMPLOYMENT,
    OpportunityKind.APPRENTICESHIP: Activity.DUAL_TRAINING,
    OpportunityKind.HOSPITATION: Activity.JOB_SHADOWING,
    OpportunityKind.EQ: Activity.INTERNSHIP_PREPARATION,
    OpportunityKind.BFD: Activity.VOLUNTEER_SERVICE,
    OpportunityKind.FSJ: Activity.VOLUNTEER_SERVICE,
    OpportunityKind.TRIAL_WORK: Activity.EMPLOYMENT,
}
INTERNSHIP_ACTIVITY: dict[str, Activity] = {
    InternshipKind.MANDATORY: Activity.INTERNSHIP_MANDATORY,
    InternshipKind.ORIENTATION: Activity.INTERNSHIP_ORIENTATION,
    InternshipKind.ACCOMPANYING: Activity.INTERNSHIP_ACCOMPANYING,
    InternshipKind.OTHER: Activity.INTERNSHIP_OTHER,
}


def activity_for(kind: str, internship_kind: str = "") -> Activity:
    if kind == OpportunityKind.INTERNSHIP:
        return INTERNSHIP_ACTIVITY.get(internship_kind, Activity.INTERNSHIP_OTHER)
    return ACTIVITY[kind]


class Opportunity(VersionedModel, OrganisationScopedModel):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("employer")
    )
    site = models.ForeignKey(
        EmployerSite,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("site"),
    )
    contact = models.ForeignKey(
        EmployerContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=OpportunityKind.choices)
    internship_kind = models.CharField(
        _("kind of internship"), max_length=12, choices=InternshipKind.choices, blank=True
    )
    # Empty only on a draft an employer submitted: the placement officer picks the code
    # before publishing (the employer's words are in the description).
    occupation = models.ForeignKey(
        Occupation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("occupation (KldB 2010)"),
    )
    working_time = models.CharField(
        _("working time"), max_length=8, choices=WorkingTime.choices, default=WorkingTime.FULL_TIME
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    shifts = models.BooleanField(_("shift work"), default=False)
    vocational_school = models.CharField(_("vocational school"), max_length=200, blank=True)
    german_level = models.CharField(
        _("required German level"), max_length=2, choices=GermanLevel.choices, blank=True
    )
    german_rank = models.PositiveSmallIntegerField(_("German level as a number"), default=0, editable=False)
    qualifications = models.TextField(_("required qualifications"), max_length=2000, blank=True)
    driving_licence = models.BooleanField(_("driving licence required"), default=False)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1), MaxValueValidator(MAX_PLACES)]
    )
    places_filled = models.PositiveSmallIntegerField(_("places filled"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=8, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    expires_on = models.DateField(_("advertised until"), null=True, blank=True)
    # Why the opportunity was filled, closed or opened again (the last status change).
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Copied from the site (or the employer's first site) for distances in SQL.
    latitude = models.FloatField(_("latitude"), null=True, blank=True, editable=False)
    longitude = models.FloatField(_("longitude"), null=True, blank=True, editable=False)
    # Copied from the employer, so the matching query needs no join to find what is visible.
    shared_with_network = models.BooleanField(_("shared with the network"), default=False, editable=False)
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("network"),
    )
    source = models.CharField(
        _("source"), max_length=16, choices=OpportunitySource.choices, default=OpportunitySource.STAFF
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["start_date", "id"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            models.Index(fields=["organisation", "status", "start_date"]),
            models.Index(fields=["network", "shared_with_network", "status"]),
            models.Index(fields=["employer", "status"]),
            models.Index(fields=["occupation"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(places__gte=1), name="opportunity_places_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def activity(self) -> Activity:
        return activity_for(self.kind, self.internship_kind)

    @property
    def places_free(self) -> int:
        return max(self.places - self.places_filled, 0)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.places is not None and self.places < 1:
            errors["places"] = _("An opportunity has at least one place.")
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if self.kind == OpportunityKind.INTERNSHIP and not self.internship_kind:
            errors["internship_kind"] = _("Please choose the kind of internship.")
        if self.kind != OpportunityKind.INTERNSHIP and self.internship_kind:
            errors["internship_kind"] = _("Only internships have a kind of internship.")
        short = {InternshipKind.ORIENTATION, InternshipKind.ACCOMPANYING}
        too_long = (
            bool(self.start_date and self.end_date)
            and (
                self.end_date - self.start_date  # type: ignore[operator]
            ).days
            > SHORT_INTERNSHIP_DAYS
        )
        if self.internship_kind in short and too_long:
            errors["end_date"] = _("This kind of internship lasts at most three months.")
        if not self.occupation_id and self.status != OpportunityStatus.DRAFT:
            errors["occupation"] = _("Please choose the occupation.")
        if self.occupation_id and len(self.occupation_id) != 5:
            errors["occupation"] = _("Please choose an occupation with a full 5-digit code.")
        if self.site_id and self.employer_id and self.site and self.site.employer_id != self.employer_id:
            errors["site"] = _("Please choose a site of this employer.")
        if (
            self.expires_on
            and self.start_date
            and self.expires_on > self.start_date + datetime.timedelta(days=730)
        ):
            errors["expires_on"] = _("Please choose an advertising end within two years of the start.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: object, **kwargs: object) -> None:
        self.german_rank = GERMAN_RANK.get(self.german_level, 0)
        super().save(*args, **kwargs)  # type: ignore[arg-type]
