"""Cases (one partner's accompaniment of a participant) and their counselling contacts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Organisation
from bruecke.participants.models import LANGUAGE_CHOICES


class CaseStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    CLOSED = "closed", _("closed")


class Case(OrganisationScopedModel):
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


class ContactTopic(CatalogueEntry):
    """The configurable catalogue of counselling topics (work permission, housing, ...)."""

    class Meta(CatalogueEntry.Meta):
        verbose_name = _("contact topic")
        verbose_name_plural = _("contact topics")


class Channel(models.TextChoices):
    OFFICE = "office", _("in the office")
    MOBILE = "mobile", _("mobile consultation hour")
    PHONE = "phone", _("phone")
    VIDEO = "video", _("video")
    MESSENGER = "messenger", _("messenger")
    HOME_VISIT = "home_visit", _("home visit")
    ACCOMPANIMENT = "accompaniment", _("accompaniment to an authority")


class InterpreterKind(models.TextChoices):
    NONE = "", _("no interpreter")
    PERSON = "person", _("interpreter (person)")
    AGENCY = "agency", _("interpreting agency")


class Contact(TimestampedModel):
    """One counselling contact. The note is special-category data: encrypted at rest."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="contacts", verbose_name=_("case"))
    date = models.DateField(_("date"), default=datetime.date.today)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.OFFICE)
    site = models.ForeignKey(
        "network.MobileSite",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("site"),
    )
    interpreter = models.CharField(
        _("interpreter"), max_length=8, choices=InterpreterKind.choices, blank=True
    )
    interpreter_language = models.CharField(
        _("interpreted language"), max_length=8, choices=LANGUAGE_CHOICES, blank=True
    )
    topics = models.ManyToManyField(ContactTopic, blank=True, related_name="+", verbose_name=_("topics"))
    note = EncryptedTextField(_("note"), blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the case's own case manager and placement officer see the note."),
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("counselling contact")
        verbose_name_plural = _("counselling contacts")
        indexes = [models.Index(fields=["case", "-date"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.date:%d.%m.%Y}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.case.organisation

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.date and self.date > datetime.date.today():
            errors["date"] = _("The contact cannot be in the future.")
        elif self.date and self.case_id and self.date < self.case.opened_on:
            errors["date"] = _("The contact cannot be before the case was opened.")
        if self.duration_minutes is not None and not 1 <= self.duration_minutes <= 600:
            errors["duration_minutes"] = _("Please enter a duration between 1 and 600 minutes.")
        if self.channel == Channel.MOBILE and not self.site_id:
            errors["site"] = _("Please choose the site of the mobile consultation hour.")
        if self.interpreter and not self.interpreter_language:
            errors["interpreter_language"] = _("Please choose the interpreted language.")
        if errors:
            raise ValidationError(errors)


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
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

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
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="items")
    barrier = models.ForeignKey(BarrierType, on_delete=models.PROTECT, related_name="+")
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices)
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "barrier"], name="assessment_item_unique_barrier")
        ]

    def __str__(self) -> str:
        return f"{self.barrier}: {self.get_severity_display()}"
