"""What matching reads about a participant, kept in one row per open case.

The facts live in several places (the participant's German level and town, the case
profile's experience, qualifications, wishes, mobility and availability). Ranking
100,000 participants for an opportunity must be one indexed query, so the services that
change any of these facts refresh this row (bruecke.placement.services.match_profiles),
as the name keys are kept for the name search. It holds no special-category data.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationSource(models.TextChoices):
    POSTCODE = "postcode", "postcode"
    TOWN = "town", "town"
    OFFICE = "office", "office"
    NONE = "", "none"


class MatchProfile(models.Model):
    case = models.OneToOneField(
        "cases.Case",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="match_profile",
        verbose_name=_("case"),
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.CASCADE, related_name="+", verbose_name=_("participant")
    )
    organisation = models.ForeignKey(
        "network.Organisation", on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    is_open = models.BooleanField(_("case open"), default=True)
    # Occupations: up to three from work experience, up to three wished (5-digit KldB codes).
    experience_1 = models.CharField(_("occupation from experience 1"), max_length=5, blank=True)
    experience_2 = models.CharField(_("occupation from experience 2"), max_length=5, blank=True)
    experience_3 = models.CharField(_("occupation from experience 3"), max_length=5, blank=True)
    wish_1 = models.CharField(_("wished occupation 1"), max_length=5, blank=True)
    wish_2 = models.CharField(_("wished occupation 2"), max_length=5, blank=True)
    wish_3 = models.CharField(_("wished occupation 3"), max_length=5, blank=True)
    # Highest requirement level (1–4) the participant's qualifications and experience meet.
    qualification_level = models.PositiveSmallIntegerField(_("requirement level met"), default=1)
    german_rank = models.PositiveSmallIntegerField(_("German level as a number"), default=0)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    location_source = models.CharField(
        _("location taken from"), max_length=10, choices=LocationSource.choices, blank=True
    )
    driving_licence = models.BooleanField(_("driving licence"), default=False)
    own_car = models.BooleanField(_("own car"), default=False)
    public_transport = models.BooleanField(_("uses public transport"), default=False)
    max_travel_minutes = models.PositiveSmallIntegerField(
        _("maximum travel time (minutes, one way)"), null=True, blank=True
    )
    max_hours_per_week = models.PositiveSmallIntegerField(_("maximum hours per week"), null=True, blank=True)
    shifts_possible = models.BooleanField(_("shift work possible"), default=True)
    childcare_limits = models.CharField(_("limits from childcare or care duties"), max_length=12, blank=True)
    refreshed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("match profile")
        verbose_name_plural = _("match profiles")
        indexes = [
            models.Index(fields=["organisation", "team", "is_open"]),
            # Matching for an opportunity looks first at the participants of its
            # occupational group (a range on each code; docs/decisions/0038).
            *(
                models.Index(fields=[column], name=f"matchprofile_{column}")
                for column in ("experience_1", "experience_2", "experience_3", "wish_1", "wish_2", "wish_3")
            ),
        ]

    def __str__(self) -> str:
        return f"match profile {self.case_id}"

    @property
    def audit_organisation(self) -> object:
        return self.organisation
