"""Writes of the language and recognition pathways: audited, on the case timeline, in one
transaction.

After every change to a participant's assessments the newest one (by date, then by the
order recorded) becomes the participant's `german_level`, written through
`participants.services.participant_update`, which refreshes the match profiles; the
work-permission pre-checks read the participant's level (decision 0046).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.offers.models import (
    CompensationMeasure,
    LanguageAssessment,
    RecognitionDecision,
    RecognitionProcedure,
)
from bruecke.participants.models import Participant
from bruecke.participants.services import participant_update

ASSESSMENT_FIELDS = ("level", "basis", "exam_name", "assessed_on", "note")
RECOGNITION_FIELDS = (
    "qualification",
    "country",
    "reference_occupation",
    "reference_occupation_text",
    "authority",
    "applied_on",
    "decision",
    "decided_on",
    "compensation",
    "compensation_text",
    "costs",
    "funded_by",
    "note",
)


def writable_cases(actor: User) -> Any:
    """The cases `actor` records pathway work on: the rule of `case_record_filter(write=True)`
    (the case rule with RECORD_CASE_WORK), as a queryset of cases."""
    return Case.objects.filter(access.case_filter(actor, Perm.RECORD_CASE_WORK))


def require_case_record(actor: User, case: Case) -> Case:
    """The case, locked, when `actor` may record on it (else 404); refused when closed."""
    if not writable_cases(actor).filter(pk=case.pk).exists():
        raise Http404
    locked = Case.objects.select_for_update().select_related("participant").get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("Nothing can be added to a closed case."))
    return locked


def _copies(case: Case) -> dict[str, Any]:
    return {
        "case": case,
        "participant_id": case.participant_id,
        "organisation_id": case.organisation_id,
        "team_id": case.team_id,
    }


def refresh_german_level(*, actor: User, participant_id: int) -> str:
    """Copies the newest assessment's level onto the participant (through the participant
    service, which keeps the match profiles current). Without assessments the level
    recorded on the participant stays as it is. Returns the level now stored."""
    newest = (
        LanguageAssessment.objects.filter(participant_id=participant_id)
        .order_by("-assessed_on", "-id")
        .values_list("level", flat=True)
        .first()
    )
    participant = Participant.objects.get(pk=participant_id)
    if newest is None or participant.german_level == newest:
        return participant.german_level
    updated = participant_update(actor=actor, participant=participant, data={"german_level": newest})
    return updated.german_level


@transaction.atomic
def assessment_record(*, actor: User, case: Case, data: Mapping[str, Any]) -> LanguageAssessment:
    case = require_case_record(actor, case)
    assessment = LanguageAssessment(**_copies(case), recorded_by=actor, **_assessment_values(data))
    model_create(actor=actor, instance=assessment)
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.LANGUAGE,
        occurred_on=assessment.assessed_on,
        obj=assessment,
        details={"action": "created", "level": assessment.level, "basis": assessment.basis},
    )
    refresh_german_level(actor=actor, participant_id=case.participant_id)
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: LanguageAssessment,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> LanguageAssessment:
    require_case_record(actor, assessment.case)
    values = _assessment_values(data)
    updated, changed = model_update(
        actor=actor, instance=assessment, data=values, expected_version=expected_version
    )
    if changed:
        record_event(
            actor=actor,
            case=updated.case,
            kind=EventKind.LANGUAGE,
            occurred_on=updated.assessed_on,
            obj=updated,
            details={"action": "changed", "level": updated.level, "basis": updated.basis},
        )
        refresh_german_level(actor=actor, participant_id=updated.participant_id)
    return updated


@transaction.atomic
def assessment_delete(*, actor: User, assessment: LanguageAssessment) -> None:
    case = require_case_record(actor, assessment.case)
    participant_id = assessment.participant_id
    details = {"action": "deleted", "level": assessment.level, "basis": assessment.basis}
    occurred = assessment.assessed_on
    model_delete(actor=actor, instance=assessment)
    record_event(actor=actor, case=case, kind=EventKind.LANGUAGE, occurred_on=occurred, details=details)
    refresh_german_level(actor=actor, participant_id=participant_id)


def _assessment_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) or "" for name in ASSESSMENT_FIELDS}
    values["assessed_on"] = data.get("assessed_on")
    return values


# Fields stored as NULL when empty; the others are text, stored as "" when empty.
NULLABLE = frozenset({"reference_occupation", "applied_on", "decided_on", "costs"})


def _recognition_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values = {name: data.get(name) or "" for name in RECOGNITION_FIELDS if name not in NULLABLE}
    values |= {name: data.get(name) for name in NULLABLE}
    values["decision"] = values["decision"] or RecognitionDecision.PENDING
    values["compensation"] = values["compensation"] or CompensationMeasure.NONE
    return values


def _recognition_event(actor: User, procedure: RecognitionProcedure, action: str) -> None:
    record_event(
        actor=actor,
        case=procedure.case,
        kind=EventKind.RECOGNITION,
        occurred_on=procedure.decided_on or procedure.applied_on or None,
        obj=procedure,
        details={"action": action, "decision": procedure.decision},
    )


@transaction.atomic
def recognition_create(*, actor: User, case: Case, data: Mapping[str, Any]) -> RecognitionProcedure:
    case = require_case_record(actor, case)
    procedure = RecognitionProcedure(**_copies(case), recorded_by=actor, **_recognition_values(data))
    model_create(actor=actor, instance=procedure)
    _recognition_event(actor, procedure, "created")
    return procedure


@transaction.atomic
def recognition_update(
    *,
    actor: User,
    procedure: RecognitionProcedure,
    data: Mapping[str, Any],
    expected_version: int | None = None,
) -> RecognitionProcedure:
    require_case_record(actor, procedure.case)
    before = procedure.decision
    updated, changed = model_update(
        actor=actor, instance=procedure, data=_recognition_values(data), expected_version=expected_version
    )
    if changed:
        _recognition_event(actor, updated, "decided" if updated.decision != before else "changed")
    return updated
