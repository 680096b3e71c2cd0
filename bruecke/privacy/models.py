"""The register of personal-data breaches (Art. 33(5) GDPR), kept by each organisation.

Every breach is documented, whether or not it is notified: the facts, the effects and the
measures. The supervisory authority must be told within 72 hours of discovery unless the
breach is unlikely to result in a risk (Art. 33(1)); people at high risk are told without
delay (Art. 34). The texts may name people, so they are stored encrypted.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.forms import check_year
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel

NOTIFICATION_DEADLINE = datetime.timedelta(hours=72)
# From here on, a breach still awaiting notification is flagged as due soon.
DEADLINE_WARNING = datetime.timedelta(hours=24)
Errors = dict[str, str | Promise]


class BreachRisk(models.TextChoices):
    NOT_ASSESSED = "not_assessed", _("not assessed yet")
    NONE = "none", _("unlikely to result in a risk (no notification)")
    RISK = "risk", _("risk to the people concerned")
    HIGH = "high", _("high risk to the people concerned")


class BreachStatus(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("names, contact details, dates of birth")
    RESIDENCE = "residence", _("residence status and documents")
    HEALTH = "health", _("health or psychological strain")
    COUNSELLING = "counselling", _("counselling notes")
    ESF = "esf", _("ESF questionnaire data")
    DOCUMENTS = "documents", _("scans and uploaded documents")
    ACCOUNTS = "accounts", _("staff accounts and passwords")


class Breach(VersionedModel, OrganisationScopedModel):
    detected_at = models.DateTimeField(_("discovered at"))
    occurred_from = models.DateField(_("happened from"), null=True, blank=True)
    occurred_until = models.DateField(_("happened until"), null=True, blank=True)
    title = models.CharField(
        _("short title"), max_length=200, help_text=_("Without names of the people concerned.")
    )
    description = EncryptedTextField(_("what happened"), max_length=5000)
    categories = models.JSONField(_("kinds of data concerned"), default=list, blank=True)
    persons_affected = models.PositiveIntegerField(
        _("number of people concerned (approximately)"), null=True, blank=True
    )
    consequences = EncryptedTextField(_("likely consequences"), max_length=5000, blank=True)
    measures = EncryptedTextField(_("measures taken or planned"), max_length=5000, blank=True)
    risk = models.CharField(
        _("risk assessment"), max_length=16, choices=BreachRisk.choices, default=BreachRisk.NOT_ASSESSED
    )
    authority_notified_at = models.DateTimeField(
        _("supervisory authority notified at"), null=True, blank=True
    )
    authority_reference = models.CharField(_("reference of the authority"), max_length=100, blank=True)
    notification_reason = models.TextField(
        _("reason for not notifying or for notifying late"),
        max_length=2000,
        blank=True,
        help_text=_("Needed when there is no risk, and when the authority was told after 72 hours."),
    )
    persons_informed_on = models.DateField(_("people concerned informed on"), null=True, blank=True)
    persons_not_informed_reason = models.TextField(
        _("reason for not informing the people concerned"), max_length=2000, blank=True
    )
    status = models.CharField(
        _("status"), max_length=8, choices=BreachStatus.choices, default=BreachStatus.OPEN
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "detected_at"])]
        verbose_name = _("personal-data breach")
        verbose_name_plural = _("personal-data breaches")

    def __str__(self) -> str:
        return self.title

    @property
    def notification_due(self) -> datetime.datetime:
        return self.detected_at + NOTIFICATION_DEADLINE

    @property
    def awaits_notification(self) -> bool:
        """The authority has not been told, and the risk does not exempt the breach."""
        return self.authority_notified_at is None and self.risk != BreachRisk.NONE

    def deadline_near(self, now: datetime.datetime | None = None) -> bool:
        """Awaiting notification and less than DEADLINE_WARNING left before the deadline."""
        moment = now or timezone.now()
        return self.awaits_notification and moment <= self.notification_due <= moment + DEADLINE_WARNING

    @property
    def urgent(self) -> bool:
        """Shown as urgent: high risk, or the notification is due soon or overdue."""
        return self.awaits_notification and (
            self.risk == BreachRisk.HIGH or self.deadline_near() or self.overdue()
        )

    def overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.awaits_notification and (now or timezone.now()) > self.notification_due

    def clean(self) -> None:
        now = timezone.now()
        if year_errors := self._year_errors():  # nothing below can compute with such a date
            raise ValidationError(year_errors)
        errors = {**self._date_errors(now), **self._notification_errors(now)}
        if self.status == BreachStatus.CLOSED and not errors:
            errors.update(self._closing_errors())
        if unknown := set(self.categories or []) - set(DataCategory.values):
            codes = ", ".join(sorted(str(code) for code in unknown))
            errors["categories"] = _("Unknown kind of data: %(codes)s") % {"codes": codes}
        if errors:
            raise ValidationError(errors)

    def _year_errors(self) -> Errors:
        """Dates outside the years every form accepts (core.forms.check_year), for every
        path that bypasses a form: year 1 in Berlin time is 1 BC in UTC, which PostgreSQL
        stores and Python cannot read back."""
        errors: Errors = {}
        for name in (
            "detected_at",
            "authority_notified_at",
            "occurred_from",
            "occurred_until",
            "persons_informed_on",
        ):
            try:
                check_year(getattr(self, name))
            except ValidationError as error:
                errors[name] = error.messages[0]
        return errors

    def _date_errors(self, now: datetime.datetime) -> Errors:
        errors: Errors = {}
        discovered = timezone.localdate(self.detected_at) if self.detected_at else None
        if self.detected_at and self.detected_at > now:
            errors["detected_at"] = _("The discovery cannot be in the future.")
        if self.occurred_from and self.occurred_until and self.occurred_until < self.occurred_from:
            errors["occurred_until"] = _("The end cannot be before the start.")
        if self.occurred_from and discovered and self.occurred_from > discovered:
            errors["occurred_from"] = _("A breach cannot start after it was discovered.")
        if self.persons_informed_on and discovered and self.persons_informed_on < discovered:
            errors["persons_informed_on"] = _("The people cannot be informed before the discovery.")
        return errors

    def _notification_errors(self, now: datetime.datetime) -> Errors:
        notified = self.authority_notified_at
        if not notified or not self.detected_at:
            return {}
        if notified < self.detected_at:
            return {"authority_notified_at": _("The notification cannot be before the discovery.")}
        if notified > now:
            return {"authority_notified_at": _("The notification cannot be in the future.")}
        if notified > self.notification_due and not self.notification_reason:
            return {"notification_reason": _("The authority was told after 72 hours: give the reasons.")}
        return {}

    def _closing_errors(self) -> Errors:
        """What Art. 33 and 34 GDPR require before a breach is closed."""
        if self.risk == BreachRisk.NOT_ASSESSED:
            return {"risk": _("Assess the risk before closing the breach.")}
        if self.risk == BreachRisk.NONE and not self.notification_reason:
            return {"notification_reason": _("Document why the breach is unlikely to result in a risk.")}
        if self.risk != BreachRisk.NONE and not self.authority_notified_at:
            return {"authority_notified_at": _("Notify the supervisory authority before closing the breach.")}
        informed = self.persons_informed_on or self.persons_not_informed_reason
        if self.risk == BreachRisk.HIGH and not informed:
            message = _(
                "At high risk the people concerned are informed; give the date or the reason why not."
            )
            return {"persons_informed_on": message}
        return {}
