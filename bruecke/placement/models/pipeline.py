"""The pipeline: a participant's way from a proposal to a started opportunity.

One `Application` per case and opportunity; its stages move forward only along
`ALLOWED_NEXT` (bruecke.placement.services.pipeline enforces it) and every move is a
`Step` with date and note. Where the participant's status needs a permission of the
Ausländerbehörde, the `PermitRequest` tracks it; a refusal closes the application.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bruecke.core.locking import VersionedModel
from bruecke.core.models import OrganisationScopedModel, TimestampedModel
from bruecke.network.models import Organisation
from bruecke.placement.models.opportunities import Opportunity


class Stage(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPLIED = "applied", _("applied")
    INTERVIEW = "interview", _("interview")
    TRIAL = "trial", _("trial work / internship")
    CONTRACT = "contract", _("contract signed")
    STARTED = "started", _("started")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_STAGES = frozenset({Stage.PROPOSED, Stage.APPLIED, Stage.INTERVIEW, Stage.TRIAL, Stage.CONTRACT})
CLOSED_STAGES = frozenset({Stage.STARTED, Stage.REJECTED, Stage.WITHDRAWN})
# Forward moves; an interview or a trial may be skipped, nothing goes back.
ALLOWED_NEXT: dict[str, frozenset[str]] = {
    Stage.PROPOSED: frozenset({Stage.APPLIED, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.APPLIED: frozenset({Stage.INTERVIEW, Stage.TRIAL, Stage.CONTRACT, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.INTERVIEW: frozenset({Stage.TRIAL, Stage.CONTRACT, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.TRIAL: frozenset({Stage.CONTRACT, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.CONTRACT: frozenset({Stage.STARTED, Stage.REJECTED, Stage.WITHDRAWN}),
    Stage.STARTED: frozenset(),
    Stage.REJECTED: frozenset(),
    Stage.WITHDRAWN: frozenset(),
}


class CloseReason(models.TextChoices):
    EMPLOYER_DECLINED = "employer_declined", _("employer declined")
    PARTICIPANT_DECLINED = "participant_declined", _("participant declined")
    PERMIT_REFUSED = "permit_refused", _("work permission refused")
    NO_SHOW = "no_show", _("participant did not appear")
    OPPORTUNITY_CLOSED = "opportunity_closed", _("opportunity filled or closed")
    OTHER = "other", _("other reason")


class Application(VersionedModel, OrganisationScopedModel):
    """One participant's way towards one opportunity (pipeline entry)."""

    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="applications", verbose_name=_("case")
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="applications", verbose_name=_("opportunity")
    )
    # Copied from the case for the team's pipeline and the reports.
    team = models.ForeignKey(
        "network.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("team"),
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROPOSED)
    stage_on = models.DateField(_("since"))
    close_reason = models.CharField(_("reason"), max_length=24, choices=CloseReason.choices, blank=True)
    next_action_on = models.DateField(_("next follow-up on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        ordering = ["-stage_on", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["organisation", "team", "stage"]),
            models.Index(fields=["opportunity", "stage"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "opportunity"],
                name="application_one_per_case_and_opportunity",
                violation_error_message=_(
                    "This participant is already in the pipeline for this opportunity."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} ({self.get_stage_display()})"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class Step(TimestampedModel):
    """One move of an application: the stage reached, when, and a note."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="steps", verbose_name=_("application")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    date = models.DateField(_("date"))
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")

    def __str__(self) -> str:
        return f"{self.date} {self.get_stage_display()}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.application.organisation


class PermitDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    GRANTED = "granted", _("granted")
    REFUSED = "refused", _("refused")


class PermitRequest(VersionedModel, TimestampedModel):
    """The work-permission application at the Ausländerbehörde for one application."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="permit", verbose_name=_("application")
    )
    applied_on = models.DateField(_("applied at the Ausländerbehörde on"))
    ba_requested_on = models.DateField(_("BA approval asked on"), null=True, blank=True)
    decision = models.CharField(
        _("decision"), max_length=8, choices=PermitDecision.choices, default=PermitDecision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    conditions = models.TextField(_("conditions (Nebenbestimmungen)"), max_length=2000, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("work-permission application")
        verbose_name_plural = _("work-permission applications")

    def __str__(self) -> str:
        return f"{self.applied_on} {self.get_decision_display()}"

    @property
    def audit_organisation(self) -> Organisation:
        return self.application.organisation
