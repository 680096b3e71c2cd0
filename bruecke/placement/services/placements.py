"""Placements and the follow-up after the start (Nachbetreuung).

A placement fills a place of its opportunity in the same transaction (the opportunity row
is locked, so two placement officers never fill the last place twice) and creates its
check-ins after the months of `settings.PLACEMENT_CHECK_IN_MONTHS`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.audit import audit_record
from bruecke.core.locking import check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create
from bruecke.esf.results import add_months
from bruecke.placement.models import (
    Application,
    CheckIn,
    CheckInOutcome,
    Employer,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementStatus,
    Stage,
)
from bruecke.placement.services import pipeline

SIX_MONTHS = 6
PLACEMENT_FIELDS = ("kind", "start_date", "employer", "hours_per_week", "wage_band", "fixed_term_until")
RISK_OUTCOMES = frozenset({CheckInOutcome.PROBLEM, CheckInOutcome.AT_RISK})


def check_in_months() -> tuple[int, ...]:
    return tuple(settings.PLACEMENT_CHECK_IN_MONTHS)


def _fill_place(actor: User, opportunity: Opportunity) -> None:
    """Takes one free place of the opportunity (row locked); refused when none is free."""
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.places_free <= 0 or locked.status != OpportunityStatus.OPEN:
        raise ValidationError(_("This opportunity has no free place left."))
    locked.places_filled += 1
    changed = ["places_filled"]
    if locked.places_filled >= locked.places:
        locked.status = OpportunityStatus.FILLED
        changed.append("status")
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changed_fields=changed)


@transaction.atomic
def placement_create(
    *, actor: User, case: Case, data: dict[str, Any], application: Application | None = None
) -> Placement:
    """Records a placement of the case's participant: from a pipeline entry at "contract"
    (moved to "started") or "started", or directly (school, self-employment, a placement
    found without the pipeline)."""
    pipeline.require_case_work(actor, case)
    case = Case.objects.select_for_update().select_related("participant").get(pk=case.pk)
    employer: Employer | None = data.get("employer")
    if (
        employer is not None
        and not Employer.objects.filter(pk=employer.pk).filter(access.employer_filter(actor)).exists()
    ):
        raise Http404
    start = data.get("start_date")
    if start is not None and start < case.opened_on:
        raise ValidationError(
            {
                "start_date": _("The date cannot be before the case was opened (%(date)s).")
                % {"date": case.opened_on.strftime("%d.%m.%Y")}
            }
        )
    opportunity: Opportunity | None = None
    if application is not None:
        application = pipeline._locked(application)
        if application.case_id != case.pk:
            raise Http404
        if Placement.objects.filter(application=application).exists():
            raise ValidationError(_("A placement has already been recorded for this pipeline entry."))
        if application.stage not in (Stage.CONTRACT, Stage.STARTED):
            raise ValidationError(_("Record the signed contract in the pipeline first."))
        opportunity = application.opportunity
        if start is not None and start < application.stage_on and application.stage == Stage.CONTRACT:
            raise ValidationError({"start_date": _("The start cannot be before the contract was signed.")})
    placement = Placement(
        case=case,
        participant=case.participant,
        organisation_id=case.organisation_id,
        team_id=case.team_id,
        application=application,
        opportunity=opportunity,
        created_by=actor,
        **{name: data.get(name) for name in PLACEMENT_FIELDS},
    )
    placement.wage_band = placement.wage_band or ""
    placement.full_clean()
    if opportunity is not None:
        _fill_place(actor, opportunity)
    if application is not None and application.stage == Stage.CONTRACT:
        assert start is not None
        # The start may lie ahead (a contract for 1 August): the step is dated by it.
        pipeline._move(actor, application, Stage.STARTED, start, "", check_date=False)
    placement = model_create(actor=actor, instance=placement)
    for months in check_in_months():
        model_create(
            actor=actor,
            instance=CheckIn(
                placement=placement,
                months_after_start=months,
                due_on=add_months(placement.start_date, months),
            ),
        )
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.PLACEMENT,
        occurred_on=placement.start_date,
        obj=placement,
        details={"kind": placement.kind, "action": "created"},
    )
    return placement


def _locked_placement(placement: Placement) -> Placement:
    return Placement.objects.select_for_update().select_related("case").get(pk=placement.pk)


def _update(actor: User | None, placement: Placement, values: dict[str, Any]) -> list[str]:
    changed = [name for name, value in values.items() if getattr(placement, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(placement, name, values[name])
    placement.full_clean()
    placement.version += 1
    placement.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=placement, changed_fields=changed)
    return changed


@transaction.atomic
def placement_update(
    *, actor: User, placement: Placement, data: dict[str, Any], expected_version: int | None = None
) -> Placement:
    """Changes hours, wage band or fixed term, or ends the placement (date and reason)."""
    pipeline.require_case_work(actor, placement.case)
    current = _locked_placement(placement)
    check_version(current, expected_version)
    values = {
        name: data[name] for name in ("hours_per_week", "wage_band", "fixed_term_until") if name in data
    }
    values["wage_band"] = values.get("wage_band") or ""
    ended_on: datetime.date | None = data.get("ended_on")
    reason = (data.get("end_reason") or "").strip()
    if ended_on is not None:
        if ended_on > timezone.localdate():
            raise ValidationError({"ended_on": _("The date cannot be in the future.")})
        if not reason:
            raise ValidationError({"end_reason": _("Please give the reason.")})
        values.update(ended_on=ended_on, end_reason=reason, status=PlacementStatus.ENDED)
    elif reason:
        raise ValidationError({"ended_on": _("Please give the date the placement ended.")})
    was_ended = current.status == PlacementStatus.ENDED
    if _update(actor, current, values):
        action = "ended" if current.status == PlacementStatus.ENDED and not was_ended else "changed"
        record_event(
            actor=actor,
            case=current.case,
            kind=EventKind.PLACEMENT,
            occurred_on=current.ended_on if action == "ended" else None,
            obj=current,
            details={"kind": current.kind, "action": action},
        )
    return current


@transaction.atomic
def check_in_record(
    *,
    actor: User,
    check_in: CheckIn,
    done_on: datetime.date,
    outcome: str,
    note: str = "",
    status_6_months: str = "",
    end_reason: str = "",
    expected_version: int | None = None,
) -> CheckIn:
    """Records a follow-up contact. A problem or a risk of dropping out marks the placement
    "at risk", "going well" clears that mark, "ended" ends it; the check-in at 6 months
    records the status six months after the start."""
    placement = _locked_placement(check_in.placement)
    pipeline.require_case_work(actor, placement.case)
    current = CheckIn.objects.select_for_update().get(pk=check_in.pk)
    check_version(current, expected_version)
    errors: dict[str, str] = {}
    if done_on < placement.start_date:
        errors["done_on"] = _("The date cannot be before the start of the placement.")
    elif done_on > timezone.localdate():
        errors["done_on"] = _("The date cannot be in the future.")
    if outcome not in CheckInOutcome.values:
        errors["outcome"] = _("Please choose the outcome.")
    if current.months_after_start == SIX_MONTHS and not status_6_months:
        errors["status_6_months"] = _("Please give the status six months after the start.")
    if outcome == CheckInOutcome.ENDED and not end_reason.strip():
        errors["end_reason"] = _("Please give the reason.")
    if errors:
        raise ValidationError(errors)
    changed = []
    for name, value in (("done_on", done_on), ("outcome", outcome), ("note", note)):
        if getattr(current, name) != value:
            setattr(current, name, value)
            changed.append(name)
    current.recorded_by = actor
    current.version += 1
    current.full_clean()
    current.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=current, changed_fields=changed)
    values: dict[str, Any] = {}
    if placement.status != PlacementStatus.ENDED:
        if outcome in RISK_OUTCOMES:
            values["status"] = PlacementStatus.AT_RISK
        elif outcome == CheckInOutcome.FINE:
            values["status"] = PlacementStatus.ACTIVE
        elif outcome == CheckInOutcome.ENDED:
            values.update(status=PlacementStatus.ENDED, ended_on=done_on, end_reason=end_reason.strip())
    if current.months_after_start == SIX_MONTHS:
        values["status_6_months"] = status_6_months
    _update(actor, placement, values)
    record_event(
        actor=actor,
        case=placement.case,
        kind=EventKind.CHECK_IN,
        occurred_on=done_on,
        obj=placement,
        details={"months": current.months_after_start, "outcome": outcome},
    )
    return current
