"""The network: partner organisations, teams, offices, mobile sites, consultation hours,
and the staff memberships that give users their roles."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import ConstraintFieldsMixin, TimestampedModel


class Role(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    PLACEMENT_OFFICER = "placement_officer", _("Placement officer")
    TEAM_LEAD = "team_lead", _("Team lead")
    NETWORK_COORDINATOR = "network_coordinator", _("Network coordinator")
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data-protection officer")
    ADMINISTRATOR = "administrator", _("Administrator")


class Network(TimestampedModel):
    name = models.CharField(_("name"), max_length=200, unique=True)
    region = models.CharField(_("region"), max_length=200, blank=True)
    funding_programme = models.CharField(_("funding programme"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    town = models.CharField(_("town"), max_length=100)

    class Meta:
        abstract = True

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.street, f"{self.postcode} {self.town}".strip()) if p)


class Located(Address):
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-90)), MaxValueValidator(Decimal(90))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[MinValueValidator(Decimal(-180)), MaxValueValidator(Decimal(180))],
    )

    class Meta:
        abstract = True


class Organisation(VersionedModel, ConstraintFieldsMixin, Address, TimestampedModel):
    """A partner: a separate legal entity. Personal data always belongs to one."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    is_lead_partner = models.BooleanField(_("lead partner"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    # What the information sheet (Art. 13 GDPR) must name besides the controller's name and
    # address; the sheet is not printed while one of them is empty.
    privacy_officer = models.TextField(
        _("data-protection officer"),
        max_length=500,
        blank=True,
        help_text=_(
            "Name or office and how to reach them (address, e-mail, phone), as printed on the "
            "information sheet."
        ),
    )
    supervisory_authority = models.TextField(
        _("supervisory authority"),
        max_length=500,
        blank=True,
        help_text=_("The data-protection authority responsible for the organisation, with its address."),
    )
    retention_years = models.PositiveSmallIntegerField(
        _("retention period (years)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
        help_text=_("How many years after the counselling has ended participants' data are kept."),
    )

    constraint_fields = {"duplicate_name": "name", "second_lead_partner": "is_lead_partner"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "network",
                name="organisation_unique_name_per_network",
                violation_error_code="duplicate_name",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["network"],
                condition=models.Q(is_lead_partner=True),
                name="organisation_one_lead_partner",
                violation_error_code="second_lead_partner",
                violation_error_message=_("This network already has a lead partner."),
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class Office(VersionedModel, Located, TimestampedModel):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offices", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.name

    @property
    def audit_organisation(self) -> Organisation:
        return self.organisation


class Team(VersionedModel, ConstraintFieldsMixin, TimestampedModel):
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="teams", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=200, blank=True)
    office = models.ForeignKey(
        Office,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="teams",
        verbose_name=_("office"),
    )
    is_active = models.BooleanField(_("active"), default=True)

    constraint_fields = {"duplicate_name": "name"}

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional team")
        verbose_name_plural = _("regional teams")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "network",
                name="team_unique_name_per_network",
                violation_error_code="duplicate_name",
                violation_error_message=_("A team with this name already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.office is not None
            and self.network_id
            and self.office.organisation.network_id != self.network_id
        ):
            raise ValidationError({"office": _("The office belongs to another network.")})


class SiteKind(models.TextChoices):
    SHELTER = "shelter", _("Shelter / reception centre")
    TOWN_HALL = "town_hall", _("Town hall")
    YOUTH_CENTRE = "youth_centre", _("Youth centre")
    JOB_CENTRE = "job_centre", _("Jobcenter / employment agency")
    SCHOOL = "school", _("School / vocational school")
    COMMUNITY = "community", _("Community centre / association")
    OTHER = "other", _("Other")


class MobileSite(VersionedModel, Located, TimestampedModel):
    """A place where a team holds mobile consultation hours (shelter, town hall, ...)."""

    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="sites", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind of site"), max_length=20, choices=SiteKind.choices)
    notes = models.TextField(_("notes (access, room, contact)"), blank=True, max_length=2000)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["town", "name"]
        verbose_name = _("mobile counselling site")
        verbose_name_plural = _("mobile counselling sites")

    def __str__(self) -> str:
        return f"{self.name} ({self.town})"


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("every week")
    EVEN_WEEKS = "even_weeks", _("every other week (even calendar weeks)")
    ODD_WEEKS = "odd_weeks", _("every other week (odd calendar weeks)")
    MONTHLY_1 = "monthly_1", _("monthly, on the first such weekday of the month")
    MONTHLY_2 = "monthly_2", _("monthly, on the second such weekday of the month")
    MONTHLY_3 = "monthly_3", _("monthly, on the third such weekday of the month")
    MONTHLY_4 = "monthly_4", _("monthly, on the fourth such weekday of the month")
    MONTHLY_LAST = "monthly_last", _("monthly, on the last such weekday of the month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class ConsultationHour(VersionedModel, TimestampedModel):
    site = models.ForeignKey(
        MobileSite, on_delete=models.CASCADE, related_name="hours", verbose_name=_("site")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="consultation_hours", verbose_name=_("team")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    recurrence = models.CharField(
        _("recurrence"), max_length=20, choices=Recurrence.choices, default=Recurrence.WEEKLY
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date.today)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["weekday", "start_time"]
        verbose_name = _("consultation hour")
        verbose_name_plural = _("consultation hours")
        indexes = [models.Index(fields=["team", "weekday"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="consultation_hour_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="consultation_hour_valid_range",
                violation_error_message=_("'Valid until' must not be before 'valid from'."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}–{self.end_time:%H:%M}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            errors["end_time"] = str(_("The end must be after the start."))
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = str(_("'Valid until' must not be before 'valid from'."))
        if self.site_id and self.team_id and self.site.network_id != self.team.network_id:
            errors["team"] = str(_("The team belongs to another network."))
        if errors:
            raise ValidationError(errors)

    @property
    def audit_organisation(self) -> None:
        return None


class Membership(TimestampedModel):
    """A user's role at an organisation, optionally within a regional team."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("staff member"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("team"),
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["organisation__name", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["user", "ended_on"])]
        constraints = [
            # Two constraints because NULL teams never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["user", "organisation", "team", "role"],
                condition=models.Q(ended_on__isnull=True, team__isnull=False),
                name="membership_unique_active_in_team",
                violation_error_message=_("This person already has this role here."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(ended_on__isnull=True, team__isnull=True),
                name="membership_unique_active_without_team",
                violation_error_message=_("This person already has this role here."),
            ),
        ]

    def __str__(self) -> str:
        team = f" / {self.team}" if self.team_id else ""
        return f"{self.get_role_display()} – {self.organisation}{team}"

    @property
    def is_active(self) -> bool:
        return self.ended_on is None

    def clean(self) -> None:
        if (
            self.team is not None
            and self.organisation_id
            and self.team.network_id != self.organisation.network_id
        ):
            raise ValidationError({"team": _("The team belongs to another network.")})
