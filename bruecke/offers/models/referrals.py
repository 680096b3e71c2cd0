"""Closed-loop referrals (Verweisberatung): a case's referral to a measure, followed until
there is a result.

`status` moves only along `ALLOWED_NEXT` (enforced by `offers.services.referrals`); every
move is a `ReferralStep` with its date and note. `feedback_due_on` is the date by which the
referring case worker expects to hear back (OFFERS_REFERRAL_FEEDBACK_DAYS after the
referral, the acceptance or the planned end); a referral past it is overdue until the next
step is recorded. A referral to a network partner (`to_organisation`) may carry a short
summary, only when the participant's sharing consent names that partner (decision 0043).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.fields import EncryptedTextField
from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Organisation
from bruecke.offers.models.catalogue import Measure


class ReferralStatus(models.TextChoices):
    SUGGESTED = "suggested", _("suggested")
    REFERRED = "referred", _("referred")
    ACCEPTED = "accepted", _("accepted")
    WAITING_LIST = "waiting_list", _("on the waiting list")
    STARTED = "started", _("started")
    COMPLETED = "completed", _("completed")
    DROPPED_OUT = "dropped_out", _("dropped out")
    REJECTED = "rejected", _("rejected")


S = ReferralStatus
# The lifecycle: which status may follow which. Final statuses have no successor.
ALLOWED_NEXT: dict[str, frozenset[str]] = {
    S.SUGGESTED: frozenset({S.REFERRED, S.DROPPED_OUT}),
    S.REFERRED: frozenset({S.ACCEPTED, S.WAITING_LIST, S.STARTED, S.REJECTED, S.DROPPED_OUT}),
    S.WAITING_LIST: frozenset({S.ACCEPTED, S.STARTED, S.REJECTED, S.DROPPED_OUT}),
    S.ACCEPTED: frozenset({S.STARTED, S.DROPPED_OUT}),
    S.STARTED: frozenset({S.COMPLETED, S.DROPPED_OUT}),
    S.COMPLETED: frozenset(),
    S.DROPPED_OUT: frozenset(),
    S.REJECTED: frozenset(),
}
FINAL_STATUSES = frozenset(status for status, following in ALLOWED_NEXT.items() if not following)
OPEN_STATUSES = frozenset(ALLOWED_NEXT) - FINAL_STATUSES


class Referral(VersionedModel, OrganisationScopedModel):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case")
    )
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+", editable=False
    )
    team = models.ForeignKey(
        "network.Team", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("measure")
    )
    # The measure's provider when it is a network partner in Brücke (copied at creation).
    to_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("referred to partner"),
    )
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices, default=S.SUGGESTED)
    status_on = models.DateField(_("status since"))
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    expected_start_on = models.DateField(_("expected start"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    feedback_due_on = models.DateField(_("feedback expected by"), null=True, blank=True)
    # The handover to a network partner: written by the referring case worker, shown to
    # the partner only while the consent it was given under is not revoked.
    summary = EncryptedTextField(_("summary for the partner"), blank=True, max_length=2000)
    summary_consent = models.ForeignKey(
        "participants.Consent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("consent covering the summary"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )

    class Meta:
        ordering = ["-status_on", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(fields=["organisation", "team", "feedback_due_on"]),
            models.Index(fields=["organisation", "status", "status_on"]),
            models.Index(fields=["to_organisation", "status"]),
            models.Index(fields=["participant"]),
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralStep(TimestampedModel):
    """One move in a referral's lifecycle, with its date and note."""

    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="steps", verbose_name=_("referral")
    )
    status = models.CharField(_("status"), max_length=16, choices=ReferralStatus.choices)
    occurred_on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), blank=True, max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # True when the partner organisation recorded the step (its feedback).
    by_partner = models.BooleanField(_("recorded by the partner"), default=False)

    class Meta:
        ordering = ["occurred_on", "id"]
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.occurred_on}"
