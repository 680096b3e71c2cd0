"""Figures of closed-loop referrals for the reporting capability, aggregated in SQL.

No personal data leaves these functions: counts per type of measure and outcome. The
caller decides which organisations (and team) the user may see figures of
(`access.organisation_ids(user, Perm.VIEW_AGGREGATES)`); these functions only filter and count.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Case as CaseWhen
from django.db.models import CharField, Count, QuerySet, Value, When

from bruecke.offers.models import FINAL_STATUSES, Referral

# The outcome of a referral that has none yet.
OPEN = "open"


def _referrals(
    organisation_ids: Iterable[int], team_id: int | None, start: datetime.date, end: datetime.date
) -> QuerySet[Referral]:
    """Referrals sent (not only suggested) between `start` and `end`, inclusive."""
    queryset = Referral.objects.filter(
        organisation_id__in=sorted(organisation_ids), referred_on__gte=start, referred_on__lte=end
    )
    if team_id is not None:
        queryset = queryset.filter(team_id=team_id)
    return queryset


def referrals_by_kind_and_outcome(
    organisation_ids: Iterable[int], team_id: int | None, start: datetime.date, end: datetime.date
) -> dict[tuple[str, str], int]:
    """Referrals sent between `start` and `end`, counted per type of measure and outcome:
    the final status (completed, dropped out, rejected) or "open"."""
    outcome = CaseWhen(
        *[When(status=status, then=Value(str(status))) for status in sorted(FINAL_STATUSES)],
        default=Value(OPEN),
        output_field=CharField(),
    )
    rows = (
        _referrals(organisation_ids, team_id, start, end)
        .order_by()
        .annotate(outcome=outcome)
        .values("measure__kind", "outcome")
        .annotate(n=Count("id"))
        .values_list("measure__kind", "outcome", "n")
    )
    return {(kind, result): n for kind, result, n in rows}


def referrals_by_kind(
    organisation_ids: Iterable[int], team_id: int | None, start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """Referrals sent between `start` and `end`, counted per type of measure."""
    rows = (
        _referrals(organisation_ids, team_id, start, end)
        .order_by()
        .values("measure__kind")
        .annotate(n=Count("id"))
        .values_list("measure__kind", "n")
    )
    return dict(rows)
