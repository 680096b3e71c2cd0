"""The ESF exit questionnaire's suggestion from placement work: the case's current
placement as a dated situation ("employed since …") that the user takes over or not.
Nothing is saved here: taking it over only pre-fills the form."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from bruecke.cases.models import Case
from bruecke.esf import results
from bruecke.placement.models import (
    EMPLOYMENT_KINDS,
    TRAINING_KINDS,
    Placement,
    PlacementKind,
    PlacementStatus,
)

SITUATION_OF: dict[str, str] = {
    PlacementKind.EMPLOYMENT: results.EMPLOYED,
    PlacementKind.MINIJOB: results.EMPLOYED,
    PlacementKind.SELF_EMPLOYMENT: results.SELF_EMPLOYED,
    PlacementKind.APPRENTICESHIP: results.APPRENTICESHIP,
    PlacementKind.EQ: results.EDUCATION_TRAINING,
    PlacementKind.SCHOOL: results.SCHOOL,
}
SUGGESTION_PARAM = "suggestion"


@dataclass(frozen=True)
class EsfSuggestion:
    placement: Placement
    situation: str

    def row(self, exit_date: datetime.date) -> dict[str, object]:
        """The situation row: since the start, or since the exit when it started before
        (the questionnaire asks for the situation from the exit date on)."""
        return {"date": max(self.placement.start_date, exit_date), "kind": self.situation}


def esf_suggestion(case: Case) -> EsfSuggestion | None:
    """The newest placement of the case that answers "in employment" or "in education or
    training" and has not ended (one query)."""
    placement = (
        Placement.objects.filter(case=case, kind__in=sorted(EMPLOYMENT_KINDS | TRAINING_KINDS))
        .exclude(status=PlacementStatus.ENDED)
        .select_related("employer")
        .order_by("-start_date", "-pk")
        .first()
    )
    if placement is None:
        return None
    return EsfSuggestion(placement=placement, situation=SITUATION_OF[placement.kind])
