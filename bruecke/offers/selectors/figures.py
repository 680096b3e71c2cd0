"""Figures of network work for the reporting capability, aggregated in SQL.

No personal data leaves these functions: counts per kind. The caller decides which
organisations the user may see figures of (`access.organisation_ids(user,
Perm.VIEW_AGGREGATES)`); these functions only filter and count. Dates are inclusive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum

from bruecke.offers.models import AwarenessEvent, Training, TrainingAudience


@dataclass(frozen=True)
class Reached:
    """How many rows (organisations, or events) and people a kind counts."""

    count: int
    people: int


def trainings_held(organisation_ids: Iterable[int], start: datetime.date, end: datetime.date) -> int:
    """Trainings held between `start` and `end`."""
    return Training.objects.filter(
        organisation_id__in=sorted(organisation_ids), held_on__gte=start, held_on__lte=end
    ).count()


def training_audience_by_kind(
    organisation_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[str, Reached]:
    """Per kind of organisation: how many organisations (audience rows) the trainings held
    between `start` and `end` reached, and how many of their staff attended."""
    rows = (
        TrainingAudience.objects.filter(
            training__organisation_id__in=sorted(organisation_ids),
            training__held_on__gte=start,
            training__held_on__lte=end,
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), people=Sum("attendees"))
        .values_list("kind", "n", "people")
    )
    return {kind: Reached(count=n, people=people or 0) for kind, n, people in rows}


def events_by_kind(
    organisation_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> dict[str, Reached]:
    """Per kind of awareness event: how many were held between `start` and `end`, and
    their audience in total."""
    rows = (
        AwarenessEvent.objects.filter(
            organisation_id__in=sorted(organisation_ids), held_on__gte=start, held_on__lte=end
        )
        .order_by()
        .values("kind")
        .annotate(n=Count("id"), people=Sum("audience"))
        .values_list("kind", "n", "people")
    )
    return {kind: Reached(count=n, people=people or 0) for kind, n, people in rows}
