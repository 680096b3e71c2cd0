"""Every write to ESF exit data: validated, audited (field names only), one transaction.

Called by the case services (closing a case, the follow-up), which add the case's status,
timeline event and follow-up task in the same transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.locking import check_version
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.esf import results
from bruecke.esf.exit_models import ExitRecord, ExitSituation, FollowUp, situation_error

if TYPE_CHECKING:
    from bruecke.cases.models import Case

EXIT_FIELDS = frozenset(
    {"exit_date", "exit_reason", "status_collected_on", "qualification_gained", "qualification_on"}
)
FOLLOW_UP_FIELDS = frozenset({"answered_on", "employed", "self_employed", "improvements", "note"})
SITUATIONS_KEY = "situations"


@dataclass(frozen=True)
class SituationInput:
    date: datetime.date
    kind: str
    pk: int | None = None  # an existing row of the record, when editing


def _only(data: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"Not fields of this questionnaire: {sorted(unknown)}")
    return dict(data)


def _errors_of(record: ExitRecord, situations: Sequence[SituationInput]) -> dict[str, list[str]]:
    """All errors of the questionnaire at once (the record's fields and the situations)."""
    errors: dict[str, list[str]] = {}
    try:
        record.full_clean(exclude=["case", "participant", "organisation"])
    except ValidationError as error:
        errors = {k: [str(m) for m in v] for k, v in error.message_dict.items()}
    if "exit_date" in errors or not record.exit_date:
        return errors
    if not situations and record.situation_required_now:
        errors[SITUATIONS_KEY] = [
            _("Required answer at exit: please record at least one situation within 4 weeks after exit.")
        ]
    if (situations or record.situation_required_now) and record.status_collected_on is None:
        errors.setdefault("status_collected_on", []).append(
            _("Required answer at exit: please enter when the situation was collected.")
        )
    for number, situation in enumerate(situations, start=1):
        message = situation_error(
            exit_date=record.exit_date, collected_on=record.status_collected_on, day=situation.date
        )
        if message:
            errors.setdefault(SITUATIONS_KEY, []).append(
                _("Situation %(number)s: %(message)s") % {"number": number, "message": message}
            )
    return errors


def stored_results(
    *,
    entry_date: datetime.date,
    exit_date: datetime.date,
    qualification_on: datetime.date | None,
    situations: Sequence[results.Situation],
    answers: Sequence[results.FollowUpAnswer],
) -> dict[str, Any]:
    """The result columns of an exit record (decision 0049), from bruecke.esf.results.
    `follow_up_improved` is the answer's improvement whatever the status at entry: the
    report counts it for people employed at entry only (§4.4)."""
    immediate = results.immediate_results(
        entry_date=entry_date, exit_date=exit_date, situations=situations, qualification_on=qualification_on
    )
    labour_market = immediate.codes & {results.EECR01, results.EECR04}
    deciding = results.deciding_follow_up(exit_date, answers)
    answered = deciding is not None and deciding.employed != results.NO_RESPONSE
    return {
        "result_labour_market": next(iter(labour_market), ""),
        "result_education": results.EECR02 in immediate.codes,
        "result_qualification": results.EECR03 in immediate.codes,
        "result_same_day_conflict": immediate.same_day_conflict,
        "follow_up_result": deciding.employed if deciding is not None and answered else "",
        "follow_up_improved": bool(
            deciding is not None and deciding.employed == results.ANSWER_YES and deciding.improved
        ),
    }


def refresh_results(record: ExitRecord) -> None:
    """Recomputes the stored results of `record` from its current rows; called by every
    service that changes the record, its situations or its follow-ups, in their
    transaction, so the report never counts stale results."""
    fresh = ExitRecord.objects.select_related("participant").get(pk=record.pk)
    values = stored_results(
        entry_date=fresh.participant.entry_date,
        exit_date=fresh.exit_date,
        qualification_on=fresh.qualification_on if fresh.qualification_gained else None,
        situations=[s.as_result_input() for s in fresh.situations.all()],
        answers=[f.as_result_input() for f in fresh.follow_ups.all()],
    )
    ExitRecord.objects.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)


def _check(record: ExitRecord, situations: Sequence[SituationInput]) -> None:
    errors = _errors_of(record, situations)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exit_record_create(
    *, actor: User, case: Case, data: Mapping[str, Any], situations: Sequence[SituationInput]
) -> ExitRecord:
    """The exit questionnaire of a case being closed. Raises ValidationError (nothing saved)."""
    record = ExitRecord(
        case=case,
        participant=case.participant,
        organisation=case.organisation,
        **_only(data, EXIT_FIELDS),
    )
    _check(record, situations)
    model_create(actor=actor, instance=record)
    for situation in situations:
        model_create(
            actor=actor, instance=ExitSituation(exit_record=record, date=situation.date, kind=situation.kind)
        )
    refresh_results(record)
    return record


@transaction.atomic
def exit_record_update(
    *,
    actor: User,
    record: ExitRecord,
    data: Mapping[str, Any],
    situations: Sequence[SituationInput],
    expected_version: int | None,
) -> ExitRecord:
    """A later correction of the questionnaire: rows kept by id keep their recording order,
    new rows come after them, rows left out are deleted. An outdated version raises
    EditConflict and nothing is saved."""
    data = _only(data, EXIT_FIELDS)
    preview = ExitRecord.objects.select_for_update().select_related("case", "participant").get(pk=record.pk)
    # A stale form is a conflict whatever else is wrong with it.
    check_version(preview, expected_version)
    for name, value in data.items():
        setattr(preview, name, value)
    _check(preview, situations)
    updated, changed = model_update(
        actor=actor, instance=record, data=data, expected_version=expected_version
    )
    existing = {s.pk: s for s in updated.situations.all()}
    kept = {s.pk for s in situations if s.pk is not None}
    if kept - set(existing):
        raise ValidationError({SITUATIONS_KEY: [_("A situation of another record cannot be changed here.")]})
    rows_changed = False
    for pk, row in existing.items():
        if pk not in kept:
            model_delete(actor=actor, instance=row)
            rows_changed = True
    for situation in situations:
        if situation.pk is None:
            model_create(
                actor=actor,
                instance=ExitSituation(exit_record=updated, date=situation.date, kind=situation.kind),
            )
            rows_changed = True
        else:
            _row, row_changes = model_update(
                actor=actor,
                instance=existing[situation.pk],
                data={"date": situation.date, "kind": situation.kind},
            )
            rows_changed |= bool(row_changes)
    if rows_changed and not changed:
        # The situations belong to the questionnaire: a change to them is a new version.
        ExitRecord.objects.filter(pk=updated.pk).update(version=F("version") + 1)
        updated.version += 1
    refresh_results(updated)
    return updated


@transaction.atomic
def follow_up_create(*, actor: User, record: ExitRecord, data: Mapping[str, Any]) -> FollowUp:
    follow_up = FollowUp(
        exit_record=record,
        organisation=record.organisation,
        recorded_by=actor,
        **_only(data, FOLLOW_UP_FIELDS),
    )
    created = model_create(actor=actor, instance=follow_up)
    refresh_results(record)
    return created


@transaction.atomic
def follow_up_update(
    *, actor: User, follow_up: FollowUp, data: Mapping[str, Any], expected_version: int | None
) -> FollowUp:
    updated, _changed = model_update(
        actor=actor, instance=follow_up, data=_only(data, FOLLOW_UP_FIELDS), expected_version=expected_version
    )
    refresh_results(updated.exit_record)
    return updated
