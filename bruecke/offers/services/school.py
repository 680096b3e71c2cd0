"""Writing the school pathway: a case's school record and its school-to-work transition.

Every write is validated, saved and audited in one transaction with a SCHOOL entry in the
case timeline. The school record keeps `Participant.schooling_status` in step, so that
the participant's page, lists and forms that read that field agree with it (decision 0047).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core.locking import EditConflict, check_version
from bruecke.core.services import model_create, model_update
from bruecke.offers.models import EnrolmentStatus, SchoolRecord, SchoolType, TransitionRecord
from bruecke.participants.models import Participant, SchoolingStatus

# The participant form accepts a schooling status only up to this age at entry.
_SCHOOLING_STATUS_MAX_AGE = 25


def schooling_status_for(record: SchoolRecord) -> str:
    """The participant's schooling status that a school record implies."""
    if record.status == EnrolmentStatus.ENROLLED:
        if record.school_type == SchoolType.VOCATIONAL:
            return SchoolingStatus.VOCATIONAL_SCHOOL
        return SchoolingStatus.ATTENDING
    if record.status == EnrolmentStatus.REQUESTED:
        return SchoolingStatus.WAITING
    return SchoolingStatus.NOT_ATTENDING


def _lock_open_case(case: Case) -> Case:
    locked = Case.objects.select_for_update().get(pk=case.pk)  # serialises the first save
    if locked.status == CaseStatus.CLOSED:
        raise ValidationError(_("The school pathway of a closed case cannot be changed."))
    return locked


def _sync_participant(actor: User, record: SchoolRecord) -> None:
    participant = Participant.objects.get(pk=record.participant_id)
    if participant.entry_date.year - participant.birth_year > _SCHOOLING_STATUS_MAX_AGE:
        return
    model_update(actor=actor, instance=participant, data={"schooling_status": schooling_status_for(record)})


def _event(actor: User, record: SchoolRecord | TransitionRecord, action: str, **details: Any) -> None:
    record_event(
        actor=actor,
        case=record.case,
        kind=EventKind.SCHOOL,
        occurred_on=details.pop("occurred_on", None),
        obj=record,
        details={"action": action, **details},
    )


@transaction.atomic
def school_record_create(*, actor: User, record: SchoolRecord) -> SchoolRecord:
    """Records a case's school situation (one record per case)."""
    case = _lock_open_case(record.case)
    if SchoolRecord.objects.filter(case=case).exists():
        raise ValidationError(_("This case already has a school record. Please change that one."))
    record.participant_id = case.participant_id
    record.organisation_id = case.organisation_id
    record.team_id = case.team_id
    record.created_by = actor
    model_create(actor=actor, instance=record)
    _event(actor, record, "created", status=record.status, occurred_on=record.status_on)
    _sync_participant(actor, record)
    return record


@transaction.atomic
def school_record_update(
    *, actor: User, record: SchoolRecord, data: Mapping[str, Any], expected_version: int | None
) -> SchoolRecord:
    """Saves the changes; a change of the enrolment status is a timeline entry on its date."""
    _lock_open_case(record.case)
    saved, changed = model_update(actor=actor, instance=record, data=data, expected_version=expected_version)
    if changed:
        if "status" in changed or "status_on" in changed:
            _event(actor, saved, "status", status=saved.status, occurred_on=saved.status_on)
        else:
            _event(actor, saved, "changed", status=saved.status)
        if {"status", "school_type"} & set(changed):
            _sync_participant(actor, saved)
    return saved


TRANSITION_FIELDS = (
    "certificate",
    "certificate_on",
    "career_orientation_on",
    "apprenticeship_search_on",
    "vocational_school",
    "vocational_school_from",
    "follow_on",
)


@transaction.atomic
def transition_save(
    *, actor: User, case: Case, data: Mapping[str, Any], expected_version: int | None
) -> TransitionRecord:
    """Creates the case's transition record on the first save or updates it.

    `expected_version` is the version the page was loaded with, 0 when there was no record
    yet: if someone saved in between, EditConflict and nothing is saved."""
    case = _lock_open_case(case)
    record = TransitionRecord.objects.filter(case=case).first()
    if record is None:
        if expected_version not in (None, 0):
            raise EditConflict()
        record = TransitionRecord(
            case=case,
            participant_id=case.participant_id,
            organisation_id=case.organisation_id,
            team_id=case.team_id,
            created_by=actor,
            **{name: value for name, value in data.items() if name in TRANSITION_FIELDS},
        )
        model_create(actor=actor, instance=record)
        _event(actor, record, "transition", follow_on=record.follow_on)
        return record
    if expected_version == 0:
        raise EditConflict()
    check_version(record, expected_version)
    saved, changed = model_update(actor=actor, instance=record, data=data, expected_version=expected_version)
    if changed:
        _event(actor, saved, "transition", follow_on=saved.follow_on)
    return saved
