"""The school pathway: a case's school record (enrolment, school, grade, expected leaving)
and, for 15- to 25-year-olds, the school-to-work transition (decision 0047).

Both records hang on the case (one each) and follow the case rule like referrals. The
school record keeps `Participant.schooling_status` in step (offers.services.school).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel

GRADE_MIN, GRADE_MAX = 1, 13


class EnrolmentStatus(models.TextChoices):
    NOT_ENROLLED = "not_enrolled", _("not enrolled")
    REQUESTED = "requested", _("enrolment requested")
    ENROLLED = "enrolled", _("enrolled")


class SchoolType(models.TextChoices):
    # The school system of Mecklenburg-Vorpommern and Brandenburg.
    PRIMARY = "primary", _("Grundschule")
    REGIONAL = "regional", _("Regionale Schule / Oberschule")
    COMPREHENSIVE = "comprehensive", _("Gesamtschule")
    GYMNASIUM = "gymnasium", _("Gymnasium")
    SPECIAL = "special", _("Förderschule")
    VOCATIONAL = "vocational", _("berufliche Schule / Berufsschule")
    OTHER = "other", _("other school")


class LeavingCertificate(models.TextChoices):
    NONE = "none", _("no leaving certificate")
    BERUFSREIFE = "berufsreife", _("Berufsreife / Berufsbildungsreife")
    MITTLERE_REIFE = "mittlere_reife", _("Mittlere Reife / Fachoberschulreife")
    FACHHOCHSCHULREIFE = "fachhochschulreife", _("Fachhochschulreife")
    ABITUR = "abitur", _("Abitur")
    OTHER = "other", _("other certificate")


class FollowOn(models.TextChoices):
    NONE = "none", _("none yet")
    APPRENTICESHIP = "apprenticeship", _("apprenticeship")
    VOCATIONAL_SCHOOL = "vocational_school", _("vocational school")
    EQ = "eq", _("entry qualification (EQ)")
    FURTHER_SCHOOL = "further_school", _("further school")
    WORK = "work", _("work")
    OTHER = "other", _("other follow-on")


class SchoolRecord(VersionedModel, OrganisationScopedModel):
    """Where a school-age participant stands with school: one per case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="school_record", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("participant"),
    )
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("team"),
    )
    status = models.CharField(_("enrolment status"), max_length=16, choices=EnrolmentStatus.choices)
    status_on = models.DateField(_("since"))
    school_name = models.CharField(_("school"), max_length=200, blank=True)
    school_type = models.CharField(_("type of school"), max_length=16, choices=SchoolType.choices, blank=True)
    grade = models.PositiveSmallIntegerField(
        _("grade"),
        null=True,
        blank=True,
        validators=[MinValueValidator(GRADE_MIN), MaxValueValidator(GRADE_MAX)],
    )
    language_support = models.BooleanField(_("language support class (DaZ class)"), default=False)
    expected_certificate = models.CharField(
        _("expected leaving certificate"), max_length=20, choices=LeavingCertificate.choices, blank=True
    )
    expected_leaving_on = models.DateField(_("expected leaving date"), null=True, blank=True)
    # Required when the participant is above school age on the status date (school_age).
    above_age_reason = EncryptedTextField(_("reason for school above school age"), blank=True, max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("school record")
        verbose_name_plural = _("school records")
        indexes = [
            models.Index(fields=["organisation", "status", "expected_leaving_on"]),
            models.Index(fields=["participant"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=GRADE_MIN, grade__lte=GRADE_MAX),
                name="offers_school_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.school_name}".strip()

    def clean(self) -> None:
        from bruecke.offers import school_age

        errors: dict[str, list[Any]] = {}
        today = datetime.date.today()
        if self.status_on and self.status_on > today:
            errors.setdefault("status_on", []).append(_("The date cannot be in the future."))
        if self.expected_leaving_on and self.status_on and self.expected_leaving_on < self.status_on:
            errors.setdefault("expected_leaving_on", []).append(
                _("The expected leaving date cannot be before the status date.")
            )
        if self.status == EnrolmentStatus.ENROLLED and not self.school_name.strip():
            errors.setdefault("school_name", []).append(_("Please name the school the participant attends."))
        participant = self.participant if self.participant_id else None
        needs_reason = (
            participant is not None
            and self.status_on is not None
            and not self.above_age_reason.strip()
            and school_age.is_above_school_age(school_age.Birth.of(participant), self.status_on)
        )
        if needs_reason:
            errors.setdefault("above_age_reason", []).append(
                _(
                    "The participant is above school age on this date. Please give the reason "
                    "for school (e.g. vocational school during an apprenticeship)."
                )
            )
        if errors:
            raise ValidationError(errors)


class TransitionRecord(VersionedModel, OrganisationScopedModel):
    """The school-to-work transition of a 15- to 25-year-old: one per case."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="transition_record", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("participant"),
    )
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("team"),
    )
    certificate = models.CharField(
        _("leaving certificate obtained"), max_length=20, choices=LeavingCertificate.choices, blank=True
    )
    certificate_on = models.DateField(_("certificate obtained on"), null=True, blank=True)
    career_orientation_on = models.DateField(_("career orientation done on"), null=True, blank=True)
    apprenticeship_search_on = models.DateField(_("apprenticeship search started on"), null=True, blank=True)
    vocational_school = models.CharField(_("vocational school"), max_length=200, blank=True)
    vocational_school_from = models.DateField(_("at the vocational school from"), null=True, blank=True)
    follow_on = models.CharField(
        _("follow-on after school"), max_length=20, choices=FollowOn.choices, default=FollowOn.NONE
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        verbose_name = _("school-to-work transition")
        verbose_name_plural = _("school-to-work transitions")
        indexes = [models.Index(fields=["organisation", "follow_on"]), models.Index(fields=["participant"])]

    def __str__(self) -> str:
        return str(self.get_follow_on_display())

    def clean(self) -> None:
        errors: dict[str, list[Any]] = {}
        today = datetime.date.today()
        for name in ("certificate_on", "career_orientation_on", "apprenticeship_search_on"):
            value = getattr(self, name)
            if value and value > today:
                errors.setdefault(name, []).append(_("The date cannot be in the future."))
        if self.certificate_on and not self.certificate:
            errors.setdefault("certificate", []).append(_("Please choose the certificate obtained."))
        if self.vocational_school_from and not self.vocational_school.strip():
            errors.setdefault("vocational_school", []).append(_("Please name the vocational school."))
        if errors:
            raise ValidationError(errors)
