"""The organisation's own notes on where and how to apply (decision 0060): the answer
page shows them in the next step instead of the built-in general texts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel

CONTACT_MAX, DOCUMENTS_MAX, DURATION_MAX = 500, 1000, 300


class NoteStep(models.TextChoices):
    """The offices an answer can send the counsellor to (the engine's authorities + BA)."""

    ABH = "abh", _("Ausländerbehörde (local)")
    CENTRAL_ABH = "central_abh", _("Central Ausländerbehörde (reception centre)")
    BA = "ba", _("Federal Employment Agency (BA approval)")


class AuthorityNote(VersionedModel, TimestampedModel):
    """No personal data: an organisation's local knowledge about one office."""

    organisation = models.ForeignKey(
        "network.Organisation",
        on_delete=models.CASCADE,
        related_name="authority_notes",
        verbose_name=_("organisation"),
    )
    step = models.CharField(_("authority (office)"), max_length=20, choices=NoteStep.choices)
    contact = models.TextField(_("address or contact"), max_length=CONTACT_MAX, blank=True)
    documents = models.TextField(_("documents to bring"), max_length=DOCUMENTS_MAX, blank=True)
    duration = models.CharField(_("usual duration"), max_length=DURATION_MAX, blank=True)

    class Meta:
        ordering = ["organisation", "step"]
        verbose_name = _("authority note")
        verbose_name_plural = _("authority notes")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "step"], name="rules_authority_note_unique_step")
        ]

    def __str__(self) -> str:
        return str(self.get_step_display())
