"""The case: one partner organisation's accompaniment of a participant."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.deletion import DeletionReason
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class Case(VersionedModel, OrganisationScopedModel):
    # Names the `reason:<key>` entry of a deletion's audit event (core.audit_labels).
    audit_reasons = DeletionReason

    participant = models.ForeignKey(
        "participants.Participant",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("participant"),
    )
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    office = models.ForeignKey(
        "network.Office",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("office"),
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("case manager")
    )
    placement_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("placement officer"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.ACTIVE
    )
    pause_reason = models.CharField(_("reason for the pause"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened on"), default=datetime.date.today)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["organisation", "team", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "organisation"],
                condition=~models.Q(status="closed"),
                name="case_one_open_per_participant_and_partner",
                violation_error_message=_("This participant already has an open case here."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.participant} ({self.opened_on:%d.%m.%Y})"

    def clean(self) -> None:
        if self.opened_on and self.opened_on > datetime.date.today():
            raise ValidationError({"opened_on": _("A case cannot be opened in the future.")})
        if self.status == CaseStatus.PAUSED and not self.pause_reason:
            raise ValidationError({"pause_reason": _("Please give the reason for the pause.")})


class CatalogueEntry(models.Model):
    """An entry of a catalogue that networks adapt in the admin, labelled in both languages."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    label_de = models.CharField(_("label (German)"), max_length=100)
    label_en = models.CharField(_("label (English)"), max_length=100)
    is_active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "key"]

    def __str__(self) -> str:
        return self.label_en if (get_language() or "de").startswith("en") else self.label_de
