"""The language pathway and the recognition pathway (Anerkennung) of a case.

A `LanguageAssessment` is a German level (CEFR A1–C2) on a date, by exam, certificate or
the counsellor's estimate. The newest one by date is copied onto the participant's
`german_level` by `offers.services.pathways` (matching and the work-permission pre-checks
read it there, decision 0046). A `RecognitionProcedure` follows one foreign qualification
through the recognition procedure. Both hang on a case and follow the case rule
(`core.access.case_record_filter`, decision 0043); participant and team are copies of the
case's, kept for the access report and for figures without a join.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel

# The levels an assessment can state, lowest first (participants.CefrLevel without "none":
# "no knowledge" is the absence of an assessment, not a level one reaches).
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class AssessmentBasis(models.TextChoices):
    EXAM = "exam", _("exam")
    CERTIFICATE = "certificate", _("certificate")
    ESTIMATE = "estimate", _("counsellor's estimate")


class RecognitionDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    FULL = "full", _("full recognition")
    PARTIAL = "partial", _("partial recognition")
    NONE = "none", _("no recognition")


class CompensationMeasure(models.TextChoices):
    NONE = "none", _("none")
    ADAPTATION = "adaptation", _("adaptation period")
    APTITUDE_TEST = "aptitude_test", _("aptitude test")
    KNOWLEDGE_EXAM = "knowledge_exam", _("knowledge examination")
    OTHER = "other", _("other")


class CostsFundedBy(models.TextChoices):
    SELF = "self", _("the participant")
    JOBCENTER = "jobcenter", _("Jobcenter")
    AGENTUR = "agentur", _("Agentur für Arbeit")
    ZUSCHUSS = "zuschuss", _("Anerkennungszuschuss")
    EMPLOYER = "employer", _("employer")
    OTHER = "other", _("other")


class CaseRecord(VersionedModel, OrganisationScopedModel):
    """Columns every pathway record shares: its case and copies of the case's facts."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    class Meta:
        abstract = True


class LanguageAssessment(CaseRecord):
    level = models.CharField(
        _("German level (CEFR)"), max_length=2, choices=[(level, level) for level in CEFR_LEVELS]
    )
    basis = models.CharField(_("assessed by"), max_length=12, choices=AssessmentBasis.choices)
    exam_name = models.CharField(
        _("exam or certificate"),
        max_length=120,
        blank=True,
        help_text=_("For example DTZ, telc Deutsch B1, Goethe-Zertifikat A2."),
    )
    assessed_on = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("German level assessment")
        verbose_name_plural = _("German level assessments")
        indexes = [
            models.Index(fields=["participant", "assessed_on"]),
            models.Index(fields=["organisation", "assessed_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.assessed_on:%d.%m.%Y})"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.assessed_on and self.assessed_on > datetime.date.today():
            errors["assessed_on"] = _("The date of an assessment cannot be in the future.")
        if self.basis in (AssessmentBasis.EXAM, AssessmentBasis.CERTIFICATE) and not self.exam_name.strip():
            errors["exam_name"] = _("Please name the exam or certificate.")
        if errors:
            raise ValidationError(errors)

    @property
    def rank(self) -> int:
        return CEFR_LEVELS.index(self.level) + 1 if self.level in CEFR_LEVELS else 0


class RecognitionProcedure(CaseRecord):
    qualification = models.CharField(
        _("foreign qualification"), max_length=200, help_text=_("As named on the certificate.")
    )
    country = CountryField(_("country where obtained"))
    reference_occupation = models.ForeignKey(
        "placement.Occupation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("German reference occupation (KldB 2010)"),
    )
    reference_occupation_text = models.CharField(
        _("German reference occupation"),
        max_length=200,
        blank=True,
        help_text=_("As the authority names it, e.g. Pflegefachfrau/Pflegefachmann."),
    )
    authority = models.CharField(
        _("competent authority"), max_length=200, help_text=_("For example IHK FOSA, HWK, Landesamt.")
    )
    applied_on = models.DateField(_("application date"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=RecognitionDecision.choices, default=RecognitionDecision.PENDING
    )
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)
    compensation = models.CharField(
        _("compensation measure"),
        max_length=16,
        choices=CompensationMeasure.choices,
        default=CompensationMeasure.NONE,
    )
    compensation_text = models.CharField(_("compensation measure in detail"), max_length=300, blank=True)
    costs = models.DecimalField(
        _("costs (EUR)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000000"))],
    )
    funded_by = models.CharField(
        _("costs funded by"), max_length=10, choices=CostsFundedBy.choices, blank=True
    )
    # Counselling notes may touch health or family circumstances: encrypted at rest.
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("recognition procedure")
        verbose_name_plural = _("recognition procedures")
        indexes = [
            models.Index(fields=["participant"]),
            models.Index(fields=["organisation", "decision"]),
        ]

    def __str__(self) -> str:
        return self.qualification

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        today = datetime.date.today()
        if self.applied_on and self.applied_on > today:
            errors["applied_on"] = _("The application date cannot be in the future.")
        if self.decided_on and self.decided_on > today:
            errors["decided_on"] = _("The date of the decision cannot be in the future.")
        elif self.decided_on and self.applied_on and self.decided_on < self.applied_on:
            errors["decided_on"] = _("The decision cannot be dated before the application (%(date)s).") % {
                "date": self.applied_on.strftime("%d.%m.%Y")
            }
        if self.decision != RecognitionDecision.PENDING:
            if not self.applied_on:
                errors["applied_on"] = _("A decision needs the date of the application.")
            if not self.decided_on and "decided_on" not in errors:
                errors["decided_on"] = _("Please enter the date of the decision.")
        elif self.decided_on and "decided_on" not in errors:
            errors["decided_on"] = _("A pending procedure has no decision date yet.")
        if self.compensation == CompensationMeasure.OTHER and not self.compensation_text.strip():
            errors["compensation_text"] = _("Please describe the compensation measure.")
        if self.funded_by and self.costs is None:
            errors["costs"] = _("Please enter the costs, or leave 'costs funded by' empty.")
        if errors:
            raise ValidationError(errors)

    @property
    def reference_display(self) -> str:
        if self.reference_occupation_text:
            return self.reference_occupation_text
        return self.reference_occupation.title if self.reference_occupation else ""
