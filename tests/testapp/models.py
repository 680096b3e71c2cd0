"""A record of personal data as later issues will build them, used to test the shared
mechanisms (scoping, encryption) on a real table. Installed only when BRUECKE_ENV=test."""

from __future__ import annotations

from django.db import models

from bruecke.core.fields import EncryptedTextField
from bruecke.core.models import OrganisationScopedModel


class SensitiveNote(OrganisationScopedModel):
    team = models.ForeignKey("network.Team", null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(max_length=100)
    health_note = EncryptedTextField(blank=True)
    psych_note = EncryptedTextField(blank=True)
