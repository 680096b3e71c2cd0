"""The work-permission answer at a glance on the participant page: employment and dual
training today, from the record. The full question page explains and lets facts be
corrected; this summary only points there."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bruecke.participants.models import Participant, ResidenceStatus
from bruecke.rules import texts
from bruecke.rules.engine import assess
from bruecke.rules.facts import facts_for
from bruecke.rules.types import Activity, Answer, NotCovered

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SUMMARY_ACTIVITIES = (Activity.EMPLOYMENT, Activity.DUAL_TRAINING)


@dataclass(frozen=True)
class SummaryRow:
    activity: StrOrPromise
    outcome: StrOrPromise
    decision: StrOrPromise
    authority: StrOrPromise
    answer: Answer


def work_summary(
    participant: Participant, statuses: list[ResidenceStatus], on: datetime.date
) -> list[SummaryRow]:
    """One row per activity; empty without a residence document or outside the rule data."""
    facts = facts_for(participant, on, statuses)
    if facts is None:
        return []
    rows = []
    for activity in SUMMARY_ACTIVITIES:
        try:
            answer = assess(facts, activity, on)
        except NotCovered:
            return []
        rows.append(
            SummaryRow(
                activity=texts.ACTIVITIES[activity],
                outcome=texts.OUTCOMES[answer.outcome],
                decision=texts.DECISIONS[answer.decision],
                authority=texts.AUTHORITIES[answer.authority],
                answer=answer,
            )
        )
    return rows
