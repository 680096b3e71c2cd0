"""The profile of a case: strengths, wishes, goals, work experience and qualifications.

One profile per case, created on the first save of the profile page. The whole page
(profile and its rows) is locked as one record through the profile's version: every save,
also one that changes only rows, increments it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from bruecke.cases.models.case import Case
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel
from bruecke.network.models import Organisation

EARLIEST_QUALIFICATION_YEAR = 1940
MAX_TRAVEL_MINUTES = 300
MAX_ROWS = 30


class DigitalSkills(models.TextChoices):
    NONE = "none", pgettext_lazy("skill level", "none")
    BASIC = "basic", _("basic")
    GOOD = "good", _("good")
    ADVANCED = "advanced", _("advanced")


class DrivingLicence(models.TextChoices):
    NONE = "none", _("no driving licence")
    CLASS_B = "b", _("class B (car)")
    OTHER = "other", _("other classes")


class QualificationKind(models.TextChoices):
    SCHOOL = "school", _("school")
    VOCATIONAL = "vocational", _("vocational")
    ACADEMIC = "academic", _("academic")
    OTHER = "other", _("other")


class RecognitionStatus(models.TextChoices):
    NOT_APPLIED = "not_applied", _("not applied for")
    IN_PROGRESS = "in_progress", _("in progress")
    RECOGNISED = "recognised", _("recognised")
    PARTIALLY = "partially", _("partially recognised")
    REFUSED = "refused", _("refused")
    NOT_NEEDED = "not_needed", _("not needed")


class ChildcareLimits(models.TextChoices):
    NONE = "", _("no limits")
    SCHOOL_HOURS = "school_hours", _("only during school or nursery hours (no early, late or shift work)")
    PART_TIME = "part_time", _("part time only")


class Profile(VersionedModel, OrganisationScopedModel):
    case = models.OneToOneField(
        Case, on_delete=models.CASCADE, related_name="profile", verbose_name=_("case")
    )
    strengths = models.TextField(_("strengths"), max_length=4000, blank=True)
    wishes = models.TextField(_("wishes"), max_length=4000, blank=True)
    possibilities = models.TextField(_("possibilities"), max_length=4000, blank=True)
    career_goals = models.TextField(_("career goals"), max_length=4000, blank=True)
    digital_skills = models.CharField(
        _("digital skills"), max_length=10, choices=DigitalSkills.choices, blank=True
    )
    digital_skills_note = models.CharField(_("note on digital skills"), max_length=300, blank=True)
    driving_licence = models.CharField(
        _("driving licence"), max_length=10, choices=DrivingLicence.choices, default=DrivingLicence.NONE
    )
    driving_licence_classes = models.CharField(
        _("driving licence classes"), max_length=100, blank=True, help_text=_("For example C1, CE, T.")
    )
    driving_licence_in_progress = models.BooleanField(_("driving licence in progress"), default=False)
    public_transport = models.BooleanField(_("uses public transport"), default=False)
    own_car = models.BooleanField(_("own car"), default=False)
    bicycle = models.BooleanField(_("bicycle"), default=False)
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("maximum travel time (minutes, one way)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TRAVEL_MINUTES)],
    )
    max_hours_per_week = models.PositiveSmallIntegerField(
        _("maximum hours per week"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Leave empty when full time is possible."),
    )
    shifts_possible = models.BooleanField(_("shift work possible"), default=True)
    childcare_limits = models.CharField(
        _("limits from childcare or care duties"), max_length=12, choices=ChildcareLimits.choices, blank=True
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("last changed by"),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(_("Profile of %(case)s") % {"case": self.case})

    def clean(self) -> None:
        if self.driving_licence == DrivingLicence.OTHER and not self.driving_licence_classes:
            raise ValidationError({"driving_licence_classes": _("Please name the driving licence classes.")})
        if self.driving_licence != DrivingLicence.OTHER and self.driving_licence_classes:
            raise ValidationError(
                {"driving_licence_classes": _("Classes are only named for 'other classes'.")}
            )


class ProfileRow(models.Model):
    """What the rows of a profile share: the profile and the organisation for the audit log."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    @property
    def audit_organisation(self) -> Organisation:
        return self.profile.organisation


class WorkExperience(ProfileRow):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="experiences")
    occupation = models.CharField(_("occupation"), max_length=200)
    kldb_code = models.CharField(
        _("KldB 2010 code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^\d{5}\Z", _("A KldB 2010 code has exactly 5 digits."))],
        help_text=_("5 digits, if known."),
    )
    isco_code = models.CharField(
        _("ISCO-08 code"),
        max_length=4,
        blank=True,
        validators=[RegexValidator(r"^\d{4}\Z", _("An ISCO-08 code has exactly 4 digits."))],
        help_text=_("4 digits, if known."),
    )
    years = models.DecimalField(
        _("years"),
        max_digits=3,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(60)],
    )
    country = CountryField(_("country"), blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("work experience")
        verbose_name_plural = _("work experience")

    def __str__(self) -> str:
        return self.occupation


class WishedOccupation(ProfileRow):
    """An occupation the participant wants to work in, as a KldB 2010 code (for matching)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="wished_occupations")
    kldb_code = models.CharField(
        _("KldB 2010 code"),
        max_length=5,
        validators=[RegexValidator(r"^\d{5}\Z", _("A KldB 2010 code has exactly 5 digits."))],
    )
    title = models.CharField(_("occupation"), max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("wished occupation")
        verbose_name_plural = _("wished occupations")

    def __str__(self) -> str:
        return self.title or self.kldb_code


class Qualification(ProfileRow):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="qualifications")
    kind = models.CharField(_("kind"), max_length=12, choices=QualificationKind.choices)
    title = models.CharField(_("title"), max_length=200)
    country = CountryField(_("country"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    document_available = models.BooleanField(_("document available"), default=False)
    recognition = models.CharField(
        _("recognition"),
        max_length=12,
        choices=RecognitionStatus.choices,
        default=RecognitionStatus.NOT_APPLIED,
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.year is None:
            return
        if self.year > datetime.date.today().year:
            raise ValidationError({"year": _("The year cannot be in the future.")})
        if self.year < EARLIEST_QUALIFICATION_YEAR:
            raise ValidationError(
                {"year": _("The year cannot be before %(year)s.") % {"year": EARLIEST_QUALIFICATION_YEAR}}
            )
