"""Figures of the language and recognition pathways for the reporting capability,
aggregated in SQL.

No personal data leaves these functions: counts per period and level, per decision. The
caller decides which organisations (and team) the user may see figures of
(`access.organisation_ids(user, Perm.VIEW_AGGREGATES)`); these functions only filter and
count, like `placement.selectors.figures`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncYear

from bruecke.offers.models import CEFR_LEVELS, LanguageAssessment, RecognitionDecision, RecognitionProcedure

PERIODS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def _scoped(queryset: QuerySet[Any], organisation_ids: Iterable[int], team_id: int | None) -> QuerySet[Any]:
    queryset = queryset.filter(organisation_id__in=sorted(organisation_ids))
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return queryset


def levels_reached(
    organisation_ids: Iterable[int],
    team_id: int | None,
    start: datetime.date,
    end: datetime.date,
    *,
    period: str = "month",
) -> dict[datetime.date, dict[str, int]]:
    """Per period (its first day) and CEFR level: how many participants were assessed at
    that level between `start` and `end` (inclusive). A participant assessed twice at the
    same level in one period counts once."""
    trunc = PERIODS[period]
    rows = (
        _scoped(LanguageAssessment.objects.all(), organisation_ids, team_id)
        .filter(assessed_on__gte=start, assessed_on__lte=end)
        .annotate(period=trunc("assessed_on"))
        .order_by()
        .values("period", "level")
        .annotate(n=Count("participant_id", distinct=True))
        .values_list("period", "level", "n")
    )
    result: dict[datetime.date, dict[str, int]] = {}
    for day, level, n in rows:
        # SQLite returns a date, PostgreSQL a date as well for a DateField; normalise anyway.
        key = day.date() if isinstance(day, datetime.datetime) else day
        result.setdefault(key, dict.fromkeys(CEFR_LEVELS, 0))[level] = n
    return dict(sorted(result.items()))


def recognition_by_decision(
    organisation_ids: Iterable[int],
    team_id: int | None,
    start: datetime.date,
    end: datetime.date,
) -> dict[str, int]:
    """Recognition procedures applied for between `start` and `end` (inclusive), or without
    an application date but recorded then, counted per decision (every decision listed)."""
    applied = Q(applied_on__gte=start, applied_on__lte=end)
    recorded = Q(applied_on__isnull=True, created_at__date__gte=start, created_at__date__lte=end)
    rows = (
        _scoped(RecognitionProcedure.objects.all(), organisation_ids, team_id)
        .filter(applied | recorded)
        .order_by()
        .values("decision")
        .annotate(n=Count("id"))
        .values_list("decision", "n")
    )
    return {**dict.fromkeys(RecognitionDecision.values, 0), **dict(rows)}
