"""Placements that started in the period by type, and their status six months after the
start (the placement area's figures). Two queries."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from bruecke.placement.models.placements import PlacementKind, SixMonthStatus
from bruecke.placement.selectors.figures import placements_by_kind, status_after_six_months
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.selectors import Slice


def placements_by_type(part: Slice) -> ChartData:
    counts = placements_by_kind(part.organisation_ids, part.team_id, part.start, part.end)
    kinds = [kind for kind in PlacementKind if counts.get(kind.value)]
    return ChartData(
        title=_("Placements by type"),
        category_heading=_("Type of placement"),
        categories=[str(kind.label) for kind in kinds],
        series=[Series(_("Placements"), [counts[kind.value] for kind in kinds])],
        notes=[_("Placements that started in the period.")],
    )


def placements_after_six_months(part: Slice, today: datetime.date) -> ChartData:
    counts = status_after_six_months(part.organisation_ids, part.team_id, part.start, part.end, today=today)
    statuses = [(status.value, str(status.label)) for status in SixMonthStatus] + [("", _("not recorded"))]
    shown = [(value, label) for value, label in statuses if counts.get(value)]
    return ChartData(
        title=_("Placements: status six months after the start"),
        category_heading=_("Status after six months"),
        categories=[label for _value, label in shown],
        series=[Series(_("Placements"), [counts[value] for value, _label in shown])],
        notes=[_("Placements that started in the period and whose six months are over.")],
    )
