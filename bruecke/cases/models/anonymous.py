"""Anonymous short contacts at mobile consultation hours: counted, never tied to a person.

A short question at a shelter or town hall often comes from someone who is not (yet) a
participant. Only what is needed for counting is kept: site, date, duration, topics, the
language of the conversation and, optionally, gender and age group. No name, no note.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.contacts import ContactTopic
from bruecke.core.models import OrganisationScopedModel
from bruecke.participants.models import LANGUAGE_CHOICES, Gender


class AgeGroup(models.TextChoices):
    """The age bands of the ESF Plus common indicators."""

    UNDER_18 = "under_18", _("under 18")
    FROM_18_TO_29 = "18_29", _("18 to 29")
    FROM_30_TO_54 = "30_54", _("30 to 54")
    FROM_55 = "55_plus", _("55 and older")


class AnonymousContact(OrganisationScopedModel):
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    site = models.ForeignKey(
        "network.MobileSite", on_delete=models.PROTECT, related_name="+", verbose_name=_("site")
    )
    date = models.DateField(_("date"), default=datetime.date.today)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    topics = models.ManyToManyField(ContactTopic, blank=True, related_name="+", verbose_name=_("topics"))
    language = models.CharField(_("language of the conversation"), max_length=8, choices=LANGUAGE_CHOICES)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    age_group = models.CharField(_("age group"), max_length=8, choices=AgeGroup.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("anonymous short contact")
        verbose_name_plural = _("anonymous short contacts")
        indexes = [
            models.Index(fields=["organisation", "team", "date"]),
            models.Index(fields=["site", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} ({self.duration_minutes} min)"

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.date and self.date > datetime.date.today():
            errors["date"] = _("The contact cannot be in the future.")
        if self.duration_minutes is not None and not 1 <= self.duration_minutes <= 600:
            errors["duration_minutes"] = _("Please enter a duration between 1 and 600 minutes.")
        if errors:
            raise ValidationError(errors)
