"""Counselling contacts and their topic catalogue."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case, CatalogueEntry
from bruecke.core.fields import EncryptedTextField
from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation
from bruecke.participants.models import LANGUAGE_CHOICES


class ContactTopic(CatalogueEntry):
    """The configurable catalogue of counselling topics (work permission, housing, ...)."""

    # A link from a named person's contact to such a topic (health) is itself special-category
    # data: it is kept encrypted on the contact, not as a row of the link table (decision 0023).
    sensitive = models.BooleanField(_("special-category data"), default=False)

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
    sensitive_topics = EncryptedTextField(
        _("special-category topics"),
        blank=True,
        help_text=_("Keys of the topics that are special-category data, stored encrypted."),
    )
    note = EncryptedTextField(_("note"), blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Only the case's own case manager and placement officer see the note."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("counselling contact")
        verbose_name_plural = _("counselling contacts")
        indexes = [
            # The case's contacts newest first (the page's order, the id breaks ties) and
            # its latest contact (caseload, "Mein Tag").
            models.Index(fields=["case", "-date", "-id"], name="cases_conta_case_date_id"),
            # A staff member's contacts in a date window (the caseload's "recent contacts").
            models.Index(fields=["recorded_by", "date"], name="cases_conta_recorder_date"),
        ]

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

    @property
    def sensitive_topic_keys(self) -> list[str]:
        return [key for key in self.sensitive_topics.split(",") if key]

    def topic_names(self, sensitive_labels: dict[str, str]) -> list[str]:
        """All topics, the linked ones (prefetched) and the encrypted ones, by label."""
        names = [str(topic) for topic in self.topics.all()]
        names += [sensitive_labels.get(key, key) for key in self.sensitive_topic_keys]
        return names
