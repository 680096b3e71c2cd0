"""Funded projects (ESF "operations") of a network, with their target groups as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel


class EsfVariant(models.TextChoices):
    ESF_PLUS = "esf_plus_2021", _("ESF Plus 2021–2027")
    ESF_2014 = "esf_2014", _("ESF 2014–2020")


class LtuRule(models.TextChoices):
    """§11.4: when a registered unemployed person counts as long-term unemployed."""

    DE_12_MONTHS = "de_12_months", _("more than 12 months registered unemployed (German definition)")
    EU_AGE_DEPENDENT = "eu_age", _("more than 6 months under 25, more than 12 months from 25 (EU variant)")


class PartialBirthDateRule(models.TextChoices):
    """§11.5: the day assumed for a birth date known only to the year or month."""

    DOCUMENT = "document", _("1 January / the 1st of the month (as in the documents)")
    MIDPOINT = "midpoint", _("1 July / the 15th of the month (midpoint)")


class ResultBase(models.TextChoices):
    """§11.9: whether people employed at entry count in the employment results."""

    GROSS = "gross", _("everyone who left (gross)")
    TRANSITION = "transition", _("only people not employed at entry (transition)")


class Project(VersionedModel, TimestampedModel):
    """A funded project in which participants take part (e.g. NAFplus, WIR ABS-OPR)."""

    network = models.ForeignKey(
        "network.Network", on_delete=models.PROTECT, related_name="projects", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=200)
    programme = models.CharField(_("funding programme"), max_length=200, blank=True)
    esf_variant = models.CharField(_("ESF reporting variant"), max_length=20, choices=EsfVariant.choices)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    # Target groups for the eligibility check, as data (see bruecke/projects/eligibility.py).
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    minimum_age = models.PositiveSmallIntegerField(_("minimum age at entry"), null=True, blank=True)
    # The partners carrying out the project; empty = every partner of the network.
    partners = models.ManyToManyField(
        "network.Organisation", blank=True, related_name="projects", verbose_name=_("partners")
    )
    # Reporting settings (shared/design/esf-indicators.md §11): the default is the binding
    # rule, the alternative a variant the report names when it is used.
    ltu_rule = models.CharField(
        _("long-term unemployment"), max_length=16, choices=LtuRule.choices, default=LtuRule.DE_12_MONTHS
    )
    partial_birth_date_rule = models.CharField(
        _("partial birth dates"),
        max_length=12,
        choices=PartialBirthDateRule.choices,
        default=PartialBirthDateRule.DOCUMENT,
    )
    result_base = models.CharField(
        _("people employed at entry in the employment results"),
        max_length=12,
        choices=ResultBase.choices,
        default=ResultBase.GROSS,
    )
    forecast_months = models.PositiveSmallIntegerField(
        _("forecast from the last months"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text=_("The forecast of each target assumes the rate of this many recent months."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="project_unique_name_per_network")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from bruecke.projects.eligibility import validate_target_groups

        errors = validate_target_groups(self.target_groups)
        if errors:
            raise ValidationError({"target_groups": errors})
