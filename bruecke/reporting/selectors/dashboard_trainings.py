"""Trainings for partners held in the period and the organisations they reached (the offers
area's figures). Trainings belong to a partner, not to a team: a team scope counts the
trainings of all partners in the project (the page says so). Two queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from bruecke.offers.models import AudienceKind
from bruecke.offers.selectors.figures import training_audience_by_kind, trainings_held
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.selectors import Slice


@dataclass(frozen=True)
class Trainings:
    held: int
    reached: ChartData


def trainings(part: Slice) -> Trainings:
    held = trainings_held(part.organisation_ids, part.start, part.end)
    audience = training_audience_by_kind(part.organisation_ids, part.start, part.end)
    kinds = [kind for kind in AudienceKind if kind.value in audience]
    notes = [_("Trainings held in the period: %(n)s.") % {"n": held}]
    if part.team_id is not None:
        notes.append(_("Trainings are recorded per partner, not per team: these are the partners' figures."))
    return Trainings(
        held=held,
        reached=ChartData(
            title=_("Trainings: organisations reached"),
            category_heading=_("Kind of organisation"),
            categories=[str(kind.label) for kind in kinds],
            series=[
                Series(_("Organisations"), [audience[kind.value].count for kind in kinds]),
                Series(_("Attendees"), [audience[kind.value].people for kind in kinds]),
            ],
            notes=notes,
        ),
    )
