"""Barrier assessments: a configurable catalogue, severities, re-assessments."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case, CatalogueEntry
from bruecke.core.fields import EncryptedIntegerField, EncryptedTextField
from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation


class BarrierType(CatalogueEntry):
    """The configurable catalogue of barriers to labour-market integration."""

    # Health and psychological strain: notes only for the case's own staff.
    sensitive = models.BooleanField(_("special-category data"), default=False)

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")


class Severity(models.IntegerChoices):
    NONE = 0, _("none")
    LOW = 1, _("low")
    MEDIUM = 2, _("medium")
    HIGH = 3, _("high")


class Assessment(TimestampedModel):
    """One barrier assessment of a case; re-assessments show the trajectory."""

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("case")
    )
    assessed_on = models.DateField(_("assessed on"), default=datetime.date.today)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessed by")
    )

    class Meta:
        ordering = ["-assessed_on", "-id"]
        verbose_name = _("barrier assessment")
        verbose_name_plural = _("barrier assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on:%d.%m.%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.case.organisation


class AssessmentItem(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("barrier assessment")
    )
    barrier = models.ForeignKey(
        BarrierType, on_delete=models.PROTECT, related_name="+", verbose_name=_("barrier")
    )
    # Encrypted for every barrier, not only the sensitive ones: one rule, and a copy of the
    # database cannot tell how strained a named person is (decision 0023).
    severity = EncryptedIntegerField(_("severity"), choices=Severity.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("assessed barrier")
        verbose_name_plural = _("assessed barriers")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "barrier"], name="assessment_item_unique_barrier")
        ]

    def __str__(self) -> str:
        return f"{self.barrier}: {self.get_severity_display()}"
