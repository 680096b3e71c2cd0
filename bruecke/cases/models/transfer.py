"""Transfer of a case to another team or partner organisation, decided by the receiver.

Until the receiving side accepts, the case stays with the sender; the receiver sees only
what it needs to decide (name, year of birth, reason, sending partner). A transfer to
another partner needs the participant's consent to transfer naming that partner.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models.case import Case
from bruecke.core.locking import VersionedModel
from bruecke.core.models import TimestampedModel
from bruecke.network.models import Organisation


class TransferStatus(models.TextChoices):
    PENDING = "pending", _("waiting for a decision")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CaseTransfer(VersionedModel, TimestampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("case"))
    from_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("from partner")
    )
    from_team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("from team"),
    )
    to_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("to partner")
    )
    to_team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("to team"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=TransferStatus.choices, default=TransferStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for the rejection"), max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("case transfer")
        verbose_name_plural = _("case transfers")
        indexes = [models.Index(fields=["to_organisation", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="pending"),
                name="case_transfer_one_pending",
                violation_error_message=_("This case already has a transfer waiting for a decision."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_organisation} → {self.to_organisation}"

    @property
    def audit_organisation(self) -> Organisation:
        # The sender's data is what the transfer is about; its DPO follows every step.
        return self.from_organisation

    @property
    def is_pending(self) -> bool:
        return self.status == TransferStatus.PENDING
