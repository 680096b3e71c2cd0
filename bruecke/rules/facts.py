"""Facts from a participant's record, and the one function other parts of the product call.

The facts are a proposal: the question page shows every one of them and lets the
counsellor correct it for the question (corrections are not saved to the record).
"""

from __future__ import annotations

import datetime

from bruecke.participants.models import Participant, ResidenceStatus, WorkNote
from bruecke.rules.engine import assess
from bruecke.rules.prechecks import PersonFacts
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, Answer, AsylumOutcome, Facts, StatusPeriod

DULDUNG = {"duldung_60a", "duldung_60b", "duldung_60c", "duldung_60d"}
PROTECTION = {"ae_25_1", "ae_25_2_refugee", "ae_25_2_subsidiary"}
FIKTION_CONTINUATION = "fiktion_continuation"


def _current(statuses: list[ResidenceStatus], on: datetime.date) -> ResidenceStatus | None:
    """The newest document issued by `on` (or the oldest one if all are later)."""
    issued = [s for s in statuses if s.issued_on <= on]
    if issued:
        return max(issued, key=lambda s: (s.issued_on, s.pk))
    return min(statuses, key=lambda s: (s.issued_on, s.pk)) if statuses else None


def _continued(statuses: list[ResidenceStatus], current: ResidenceStatus) -> str:
    """The status a Fiktionsbescheinigung continues (§ 81 Abs. 4 AufenthG): the newest
    earlier document that is not itself one; the current status otherwise."""
    if current.status != FIKTION_CONTINUATION:
        return current.status
    earlier = [
        s
        for s in statuses
        if s.issued_on <= current.issued_on and s.pk != current.pk and s.status != FIKTION_CONTINUATION
    ]
    return max(earlier, key=lambda s: (s.issued_on, s.pk)).status if earlier else current.status


def _outcome(status: str, applied: datetime.date | None) -> AsylumOutcome:
    if status == "gestattung":
        return AsylumOutcome.PENDING
    if status in PROTECTION:
        return AsylumOutcome.GRANTED
    if status in DULDUNG and applied is not None:
        return AsylumOutcome.REJECTED
    return AsylumOutcome.NONE


def facts_for(
    participant: Participant, on: datetime.date, statuses: list[ResidenceStatus] | None = None
) -> Facts | None:
    """The facts the residence history shows for `on`; None without any document.
    `statuses`: the participant's documents if the caller has loaded them already."""
    statuses = list(participant.residence_statuses.all()) if statuses is None else statuses
    current = _current(statuses, on)
    if current is None:
        return None
    applied = min((s.asylum_applied_on for s in statuses if s.asylum_applied_on), default=None)
    earliest = min(s.issued_on for s in statuses)
    history = tuple(
        StatusPeriod(status=s.status, start=s.issued_on, end=s.valid_until)
        for s in sorted(statuses, key=lambda s: s.issued_on)
        if s.pk != current.pk
    )
    return Facts(
        status=current.status,
        status_since=current.issued_on,
        nationality=str(participant.nationality or ""),
        stay_since=participant.arrival_date or earliest,
        asylum_applied_on=applied,
        asylum_outcome=_outcome(_continued(statuses, current), applied),
        reception_centre=_reception_centre(current),
        history=history,
        work_permission_on=tuple(
            day for day in rule_data().work_permission_days() if _permitted_on(statuses, day)
        ),
    )


def _reception_centre(current: ResidenceStatus) -> bool | None:
    """A recorded obligation is a yes; an unticked box is "not known" (the record field
    cannot tell "no" from "not entered"), which the engine settles with the § 47 AsylG
    durations or shows as an alternative."""
    return True if current.reception_centre_obligation else None


def _permitted_on(statuses: list[ResidenceStatus], day: datetime.date) -> bool:
    """A document valid on `day` whose note says gainful activity is permitted."""
    return any(
        s.work_note == WorkNote.PERMITTED
        and s.issued_on <= day
        and (s.valid_until is None or day <= s.valid_until)
        for s in statuses
    )


def person_facts_for(participant: Participant, on: datetime.date) -> PersonFacts:
    """Person facts for the pre-checks; the birth date only when the document gives it fully."""
    full_birth_date = (
        participant.birth_month and participant.birth_day and not participant.birth_date_is_placeholder
    )
    children = [y for y in participant.children_birth_years if isinstance(y, int)]
    return PersonFacts(
        arrival_date=participant.arrival_date,
        birth_date=participant.birth_date_for_age if full_birth_date else None,
        german_level=participant.german_level or "",
        single_parent=participant.single_parent,
        minor_child=any(on.year - year < 18 for year in children),
    )


def assess_participant(
    participant: Participant, activity: Activity, on: datetime.date, facts: Facts | None = None
) -> Answer | None:
    """The answer for a participant (facts from the record unless corrected ones are given).

    The caller is responsible for access (selectors.participant_get) and audit_read."""
    facts = facts or facts_for(participant, on)
    return None if facts is None else assess(facts, activity, on)
