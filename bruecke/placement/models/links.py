"""Links an employer contact uses to submit an opportunity from a phone, without an account.

Only a hash of the token is stored; the link carries the signed token. A link expires,
works once, and submissions through it are rate-limited. What it creates is a draft
opportunity for the placement officer who sent the link.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation
from bruecke.placement.models.employers import Employer, EmployerContact


class SubmissionLink(TimestampedModel):
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="submission_links", verbose_name=_("employer")
    )
    contact = models.ForeignKey(
        EmployerContact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("contact person"),
    )
    token_hash = models.CharField(_("fingerprint of the link"), max_length=64, unique=True)
    expires_at = models.DateTimeField(_("valid until"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    opportunity = models.ForeignKey(
        "placement.Opportunity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sent by")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("submission link")
        verbose_name_plural = _("submission links")

    def __str__(self) -> str:
        return f"{self.employer} {self.expires_at:%Y-%m-%d}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.employer.organisation
