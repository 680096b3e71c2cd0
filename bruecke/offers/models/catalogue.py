"""The catalogue of measures and their providers (Verweisberatung).

A provider is a network partner or an outside body (adult education centre, legal aid,
school, …); a measure is what it offers. Both belong to the organisation that recorded
them and are seen by the whole network (`core.access.offers_filter`); they hold no
personal data. `name_key` / `title_key` are folded forms used to catch duplicates.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation
from bruecke.placement.kldb import fold


class ProviderKind(models.TextChoices):
    NETWORK_PARTNER = "network_partner", _("network partner")
    ADULT_EDUCATION = "adult_education", _("adult education centre (VHS)")
    INTEGRATION_COURSES = "integration_courses", _("integration-course provider")
    RECOGNITION = "recognition", _("recognition counselling")
    LEGAL_AID = "legal_aid", _("legal aid")
    MIGRATION_COUNSELLING = "migration_counselling", _("migration counselling")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial centre")
    CHILDCARE = "childcare", _("childcare")
    JOBCENTER_AGENTUR = "jobcenter_agentur", _("Jobcenter / Agentur für Arbeit programme")
    SCHOOL = "school", _("school")
    VOCATIONAL_SCHOOL = "vocational_school", _("vocational school")
    OTHER = "other", _("other")


class MeasureKind(models.TextChoices):
    INTEGRATION_COURSE = "integration_course", _("integration course")
    LANGUAGE_COURSE = "language_course", _("general language course")
    JOB_LANGUAGE_COURSE = "job_language_course", _("job-related language course (Berufssprachkurs)")
    QUALIFICATION = "qualification", pgettext_lazy("kind of measure", "qualification")
    RECOGNITION = "recognition", _("recognition counselling")
    LEGAL_AID = "legal_aid", _("legal aid")
    CAREER_ORIENTATION = "career_orientation", _("career orientation")
    VOCATIONAL_PREPARATION = "vocational_preparation", _("vocational preparation")
    PSYCHOSOCIAL = "psychosocial", _("psychosocial support")
    CHILDCARE = "childcare", _("childcare")
    SCHOOL_ENROLMENT = "school_enrolment", _("school enrolment support")
    OTHER = "other", _("other")


# Measures that are German courses: they carry a target level and appear in the language
# pathway as courses attended.
LANGUAGE_MEASURE_KINDS = frozenset(
    {MeasureKind.INTEGRATION_COURSE, MeasureKind.LANGUAGE_COURSE, MeasureKind.JOB_LANGUAGE_COURSE}
)


class Provider(VersionedModel, TimestampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by organisation")
    )
    kind = models.CharField(_("kind of provider"), max_length=24, choices=ProviderKind.choices)
    name = models.CharField(_("name"), max_length=200)
    # Set when the provider is a partner of the same network: referrals then reach it in
    # Brücke, with a summary when the participant's consent covers it.
    partner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("network partner in Brücke"),
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)
    name_key = models.CharField(
        _("name for finding duplicates"), max_length=200, editable=False, db_index=True
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("provider")
        verbose_name_plural = _("providers")
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)


class Measure(VersionedModel, TimestampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by organisation")
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="measures", verbose_name=_("provider")
    )
    kind = models.CharField(_("type of measure"), max_length=24, choices=MeasureKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    # CEFR level the course leads to (language courses; required for Berufssprachkurse).
    target_level = models.CharField(
        _("target level (CEFR)"),
        max_length=2,
        blank=True,
        choices=[(level, level) for level in ("A1", "A2", "B1", "B2", "C1", "C2")],
    )
    places = models.CharField(_("places"), max_length=300, blank=True, help_text=_("Towns or 'online'."))
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Languages the measure is held in.")
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places available"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10000)],
    )
    is_active = models.BooleanField(_("active"), default=True)
    title_key = models.CharField(_("title for finding duplicates"), max_length=200, editable=False)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [
            models.Index(fields=["provider", "title_key"]),
            models.Index(fields=["organisation", "kind"]),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title_key = fold(self.title)
        super().save(*args, **kwargs)


class MeasureStart(TimestampedModel):
    """A start date of a measure (courses start several times a year)."""

    measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, related_name="starts", verbose_name=_("measure")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("start date")
        verbose_name_plural = _("start dates")
        constraints = [models.UniqueConstraint(fields=["measure", "starts_on"], name="measure_start_once")]

    def __str__(self) -> str:
        return self.starts_on.isoformat()

    @property
    def is_future(self) -> bool:
        return self.starts_on >= datetime.date.today()
