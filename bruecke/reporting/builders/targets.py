"""A project's targets with progress and forecast, as a table for the exports."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.reporting.builders.activity import valid_choice
from bruecke.reporting.forecast import TargetRow, target_progress
from bruecke.reporting.registry import register_report
from bruecke.reporting.tables import Cell, Table


@register_report("targets", "Targets and forecast")
def build_targets(user: User, params: dict[str, Any]) -> list[Table]:
    """The project of the choice (period and scope do not narrow a target: it is the
    project's, counted over its partners from its start to today)."""
    project = valid_choice(user, params).cleaned_data["project"]
    rows = target_progress(project, list(project.targets.all()), datetime.date.today())
    return [
        Table(
            title=_("Targets of %(name)s") % {"name": project.name},
            columns=[
                _("Target"),
                _("What is counted"),
                _("Target value"),
                _("Achieved"),
                _("Per cent"),
                _("Due date"),
                _("Forecast date"),
                _("Status"),
            ],
            rows=[_row(row) for row in rows],
            notes=[
                _("Forecast: at the rate of the last %(months)s months.")
                % {"months": project.forecast_months}
            ],
        )
    ]


def _row(row: TargetRow) -> list[Cell]:
    target, result = row.target, row.forecast
    kind = target.get_kind_display()
    if target.placement_kind:
        kind = f"{kind}: {target.get_placement_kind_display()}"
    return [
        target.label,
        str(kind),
        result.value,
        result.achieved,
        result.percent,
        result.due,
        result.reached_on,
        result.status_label,
    ]
