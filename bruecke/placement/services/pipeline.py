"""The pipeline: proposing a participant for an opportunity, moving the entry along its
stages, and the work-permission application at the Ausländerbehörde.

Every write checks the actor's scope (`access.placement_work_filter(write=True)` on the
case, the opportunity visible to the actor), writes the step, the timeline event and the
audit event in one transaction. Out of scope is a 404, nothing is saved.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.audit import audit_record
from bruecke.core.locking import check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create
from bruecke.placement.models import (
    ALLOWED_NEXT,
    Application,
    CloseReason,
    Opportunity,
    OpportunityStatus,
    PermitDecision,
    PermitRequest,
    Stage,
    Step,
)
from bruecke.rules.facts import assess_participant
from bruecke.rules.types import Answer, NotCovered, Outcome

CLOSING_STAGES = frozenset({Stage.REJECTED, Stage.WITHDRAWN})
# Outcomes of the rules engine for which the Ausländerbehörde has to be asked first.
PERMIT_OUTCOMES = frozenset({Outcome.NEEDS_PERMISSION, Outcome.NOT_YET})


def require_case_work(actor: User, case: Case) -> None:
    """404 unless `actor` may record placement work on the case (the team's placement
    officers and team leads)."""
    if not Case.objects.filter(pk=case.pk).filter(access.placement_work_filter(actor, write=True)).exists():
        raise Http404


def require_opportunity(actor: User, opportunity: Opportunity) -> None:
    if not Opportunity.objects.filter(pk=opportunity.pk).filter(access.opportunity_filter(actor)).exists():
        raise Http404


def permit_answer(application: Application) -> Answer | None:
    """The rules engine's answer for the opportunity's activity on its start date (None:
    no residence facts recorded, or the rule data do not cover the date)."""
    opportunity = application.opportunity
    try:
        return assess_participant(application.case.participant, opportunity.activity, opportunity.start_date)
    except NotCovered:
        return None


def permit_needed(answer: Answer | None) -> bool:
    return answer is not None and answer.outcome in PERMIT_OUTCOMES


def check_step_date(
    case: Case, on: datetime.date, *, after: datetime.date | None = None, field: str = "on"
) -> None:
    """A step's date: not before the case was opened, not before the previous step, not in
    the future (a planned interview is a task, not a step)."""
    if on < case.opened_on:
        raise ValidationError(
            {
                field: _("The date cannot be before the case was opened (%(date)s).")
                % {"date": case.opened_on.strftime("%d.%m.%Y")}
            }
        )
    if after is not None and on < after:
        raise ValidationError(
            {
                field: _("The date cannot be before the previous step (%(date)s).")
                % {"date": after.strftime("%d.%m.%Y")}
            }
        )
    if on > timezone.localdate():
        raise ValidationError(
            {field: _("The date cannot be in the future. Plan an interview as a task instead.")}
        )


def _step(actor: User | None, application: Application, stage: str, on: datetime.date, note: str) -> Step:
    step = model_create(
        actor=actor,
        instance=Step(application=application, stage=stage, date=on, note=note, recorded_by=actor),
    )
    record_event(
        actor=actor,
        case=application.case,
        kind=EventKind.PIPELINE,
        occurred_on=on,
        obj=application,
        details={"stage": stage, "reason": application.close_reason},
    )
    return step


@transaction.atomic
def application_create(
    *, actor: User, case: Case, opportunity: Opportunity, on: datetime.date, note: str = ""
) -> Application:
    """Proposes the case's participant for the opportunity (stage "proposed")."""
    require_case_work(actor, case)
    require_opportunity(actor, opportunity)
    case = Case.objects.select_for_update().select_related("participant").get(pk=case.pk)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError({"case": _("The case is closed. Reopen it to propose an opportunity.")})
    if opportunity.status != OpportunityStatus.OPEN:
        raise ValidationError({"opportunity": _("Only open opportunities can be proposed.")})
    if Application.objects.filter(case=case, opportunity=opportunity).exists():
        raise ValidationError(
            {"opportunity": _("This participant is already in the pipeline for this opportunity.")}
        )
    check_step_date(case, on)
    application = model_create(
        actor=actor,
        instance=Application(
            case=case,
            opportunity=opportunity,
            organisation_id=case.organisation_id,
            team_id=case.team_id,
            stage=Stage.PROPOSED,
            stage_on=on,
            created_by=actor,
        ),
    )
    _step(actor, application, Stage.PROPOSED, on, note)
    return application


def _start_blocker(application: Application) -> str | None:
    """Why the application cannot be moved to "started", or None."""
    permit = PermitRequest.objects.filter(application=application).first()
    if permit is not None:
        if permit.decision == PermitDecision.GRANTED:
            return None
        return _("The work permission has not been granted yet. Record the decision first.")
    answer = permit_answer(application)
    if answer is not None and answer.outcome == Outcome.BANNED:
        return _("The rules engine says this activity is not allowed for the participant.")
    if permit_needed(answer):
        return _(
            "The participant needs a work permission for this activity. "
            "Record the application at the Ausländerbehörde and its decision first."
        )
    return None


def _move(
    actor: User | None,
    application: Application,
    stage: str,
    on: datetime.date,
    note: str,
    close_reason: str = "",
    *,
    check_date: bool = True,
) -> Application:
    """Moves a locked application (no access check: callers do it)."""
    current = application.stage
    if stage not in ALLOWED_NEXT.get(current, frozenset()):
        raise ValidationError(
            {
                "stage": _("An entry at the stage “%(current)s” cannot move to “%(stage)s”.")
                % {
                    "current": Stage(current).label,
                    "stage": Stage(stage).label if stage in Stage.values else stage,
                }
            }
        )
    if check_date:
        check_step_date(application.case, on, after=application.stage_on)
    if stage in CLOSING_STAGES and not close_reason:
        raise ValidationError({"close_reason": _("Please give the reason.")})
    if stage not in CLOSING_STAGES:
        close_reason = ""
    if stage == Stage.STARTED and (blocker := _start_blocker(application)):
        raise ValidationError({"stage": blocker})
    changed = ["stage", "stage_on", "close_reason", "version"]
    application.stage, application.stage_on, application.close_reason = stage, on, close_reason
    application.version += 1
    application.save(update_fields=[*changed, "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=application, changed_fields=changed[:3])
    _step(actor, application, stage, on, note)
    return application


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update()
        .select_related("case__participant", "opportunity")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_move(
    *,
    actor: User,
    application: Application,
    stage: str,
    on: datetime.date,
    note: str = "",
    close_reason: str = "",
    expected_version: int | None = None,
) -> Application:
    """One step along `ALLOWED_NEXT`; rejected and withdrawn need a reason."""
    require_case_work(actor, application.case)
    current = _locked(application)
    check_version(current, expected_version)
    if close_reason and close_reason not in CloseReason.values:
        raise ValidationError({"close_reason": _("Please choose a reason from the list.")})
    return _move(actor, current, stage, on, note, close_reason)


def _permit_errors(application: Application, data: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    applied = data.get("applied_on")
    decision = data.get("decision") or PermitDecision.PENDING
    decided = data.get("decided_on")
    asked = data.get("ba_requested_on")
    valid = data.get("valid_until")
    case = application.case
    today = timezone.localdate()
    if applied is None:
        errors["applied_on"] = _("Please give the date of the application.")
        return errors
    if applied < case.opened_on:
        errors["applied_on"] = _("The date cannot be before the case was opened (%(date)s).") % {
            "date": case.opened_on.strftime("%d.%m.%Y")
        }
    elif applied > today:
        errors["applied_on"] = _("The date cannot be in the future.")
    if asked is not None and (asked < applied or asked > today):
        errors["ba_requested_on"] = _("The date must lie between the application and today.")
    if decision == PermitDecision.PENDING:
        if decided is not None:
            errors["decided_on"] = _("A pending application has no decision date.")
        if valid is not None:
            errors["valid_until"] = _("Only a granted permission has a validity.")
    else:
        if decided is None:
            errors["decided_on"] = _("Please give the date of the decision.")
        elif decided < applied or decided > today:
            errors["decided_on"] = _("The date must lie between the application and today.")
        if decision == PermitDecision.REFUSED and valid is not None:
            errors["valid_until"] = _("Only a granted permission has a validity.")
        if valid is not None and decided is not None and valid < decided:
            errors["valid_until"] = _("The permission cannot end before it was granted.")
    return errors


PERMIT_FIELDS = ("applied_on", "ba_requested_on", "decision", "decided_on", "conditions", "valid_until")


@transaction.atomic
def permit_save(
    *,
    actor: User,
    application: Application,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> PermitRequest:
    """Records or updates the work-permission application of a pipeline entry. A refusal
    closes an open entry (stage rejected, reason "work permission refused")."""
    require_case_work(actor, application.case)
    current = _locked(application)
    if current.stage in CLOSING_STAGES:
        raise ValidationError(_("This pipeline entry is closed."))
    values = {name: data.get(name) for name in PERMIT_FIELDS}
    values["conditions"] = values["conditions"] or ""
    values["decision"] = values["decision"] or PermitDecision.PENDING
    if errors := _permit_errors(current, values):
        raise ValidationError(errors)
    permit = PermitRequest.objects.select_for_update().filter(application=current).first()
    if permit is None:
        permit = PermitRequest(application=current, **values)
        permit.full_clean()
        permit.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=permit, changed_fields=list(PERMIT_FIELDS))
        before = ""
    else:
        check_version(permit, expected_version)
        before = permit.decision
        changed = [name for name, value in values.items() if getattr(permit, name) != value]
        if not changed:
            return permit
        for name in changed:
            setattr(permit, name, values[name])
        permit.full_clean()
        permit.version += 1
        permit.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=permit, changed_fields=changed)
    record_event(
        actor=actor,
        case=current.case,
        kind=EventKind.WORK_PERMIT,
        occurred_on=permit.decided_on or permit.applied_on,
        obj=current,
        details={"decision": permit.decision},
    )
    if permit.decision == PermitDecision.REFUSED and before != PermitDecision.REFUSED and current.is_open:
        assert permit.decided_on is not None
        on = max(permit.decided_on, current.stage_on)
        _move(
            actor,
            current,
            Stage.REJECTED,
            on,
            _("The work permission was refused."),
            CloseReason.PERMIT_REFUSED,
            check_date=False,
        )
    return permit
