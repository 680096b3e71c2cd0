"""Figures of the dashboards (`dashboard_*.py`): counts only, aggregated in SQL, for one
slice of the network (the chosen scope, the project's partners and the period)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q

from bruecke.projects.models import Project
from bruecke.reporting.scope import ReportScope


@dataclass(frozen=True)
class Slice:
    """What a dashboard counts: the partner organisations (the scope's, narrowed to the
    project's partners), the team of a team scope and the period (both days included)."""

    project_id: int
    organisation_ids: list[int]
    team_id: int | None
    start: datetime.date
    end: datetime.date

    def q(self, prefix: str = "") -> Q:
        """The records of the slice's organisations (and team) through `prefix`."""
        condition = Q(**{f"{prefix}organisation_id__in": self.organisation_ids})
        if self.team_id is not None:
            condition &= Q(**{f"{prefix}team_id": self.team_id})
        return condition

    def participant_q(self, prefix: str = "") -> Q:
        """Participants of the project in the slice's organisations (and team); `prefix`
        reaches the participant ("case__participant__")."""
        # A registration merged into another one has no records left and counts nowhere.
        return self.q(prefix) & Q(
            **{f"{prefix}project_id": self.project_id, f"{prefix}merged_into__isnull": True}
        )


def slice_for(scope: ReportScope, project: Project, start: datetime.date, end: datetime.date) -> Slice:
    """At most two queries: the scope's organisations and the project's partners."""
    organisation_ids = set(scope.organisation_ids())
    partners = set(project.partners.values_list("id", flat=True))
    if partners:  # empty = every partner of the network
        organisation_ids &= partners
    return Slice(
        project_id=project.pk,
        organisation_ids=sorted(organisation_ids),
        team_id=scope.team_id,
        start=start,
        end=end,
    )


def months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from `start`'s month to `end`'s month."""
    result = []
    day = start.replace(day=1)
    while day <= end:
        result.append(day)
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return result


def month_label(day: datetime.date) -> str:
    return f"{day.month:02d}/{day.year}"
