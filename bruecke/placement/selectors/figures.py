"""Figures of placement work for the reporting capability, aggregated in SQL.

No personal data leaves these functions: counts per kind or per status. The caller decides
which organisations (and team) the user may see figures of (`access.organisation_ids(user,
Perm.VIEW_AGGREGATES)`); these functions only filter and count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, QuerySet

from bruecke.esf.results import add_months
from bruecke.placement.models import Placement


def _placements(
    organisation_ids: Iterable[int], team_id: int | None, start: datetime.date, end: datetime.date
) -> QuerySet[Placement]:
    queryset = Placement.objects.filter(
        organisation_id__in=sorted(organisation_ids), start_date__gte=start, start_date__lte=end
    )
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return queryset


def placements_by_kind(
    organisation_ids: Iterable[int], team_id: int | None, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """Placements that started between `start` and `end` (inclusive), counted per kind."""
    rows = (
        _placements(organisation_ids, team_id, start, end)
        .order_by()
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    return dict(rows)


def status_after_six_months(
    organisation_ids: Iterable[int],
    team_id: int | None,
    start: datetime.date,
    end: datetime.date,
    *,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """For placements that started between `start` and `end` and whose six months are over
    by `today`: the count per recorded status six months after the start ("" = not recorded)."""
    today = today or datetime.date.today()
    # Six calendar months before today (the day clamped like the check-ins' due dates).
    latest_start = add_months(today, -6)
    rows = (
        _placements(organisation_ids, team_id, start, min(end, latest_start))
        .order_by()
        .values("status_6_months")
        .annotate(n=Count("id"))
        .values_list("status_6_months", "n")
    )
    return dict(rows)
