"""Funded projects (ESF "operations") of a network, with their target groups as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.models import TimestampedModel


class EsfVariant(models.TextChoices):
    ESF_PLUS = "esf_plus_2021", _("ESF Plus 2021–2027")
    ESF_2014 = "esf_2014", _("ESF 2014–2020")


class Project(TimestampedModel):
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
