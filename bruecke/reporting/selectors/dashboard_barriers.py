"""Barriers at the first versus the latest assessment of each case active in the period.

Severities are encrypted (decision 0023), so SQL picks the cases and their first and latest
assessment (on or before the period's end) and returns only (barrier, severity) pairs of
those two assessments; they are decrypted and counted here, like the ESF report does with
its encrypted answers. A barrier counts when its severity is above "none". Three queries,
whatever the data; no case or person leaves this module.
"""

from __future__ import annotations

from collections import Counter

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from bruecke.cases.models import Assessment, AssessmentItem, BarrierType, Case, Severity
from bruecke.reporting.charts import ChartData, Series
from bruecke.reporting.selectors import Slice


def _assessed_cases(part: Slice) -> QuerySet[Case]:
    mine = Assessment.objects.filter(case=OuterRef("pk"), assessed_on__lte=part.end)
    return (
        Case.objects.filter(part.q(), opened_on__lte=part.end, participant__project_id=part.project_id)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=part.start))
        .order_by()
        .annotate(
            first_id=Subquery(mine.order_by("assessed_on", "id").values("id")[:1]),
            latest_id=Subquery(mine.order_by("-assessed_on", "-id").values("id")[:1]),
        )
        .filter(first_id__isnull=False)
    )


def _present(assessment_ids: QuerySet[Case], column: str) -> Counter[int]:
    counts: Counter[int] = Counter()
    rows = AssessmentItem.objects.filter(assessment_id__in=assessment_ids.values(column)).values_list(
        "barrier_id", "severity"
    )
    for barrier_id, severity in rows.iterator(chunk_size=2000):
        if severity is not None and severity > Severity.NONE:
            counts[barrier_id] += 1
    return counts


def barriers_first_and_latest(part: Slice) -> ChartData:
    cases = _assessed_cases(part)
    first, latest = _present(cases, "first_id"), _present(cases, "latest_id")
    barriers = [b for b in BarrierType.objects.all() if b.pk in first or b.pk in latest or b.is_active]
    barriers = [b for b in barriers if first[b.pk] or latest[b.pk]]
    return ChartData(
        title=_("Barriers at the first and the latest assessment"),
        category_heading=_("Barrier"),
        categories=[str(b) for b in barriers],
        series=[
            Series(_("First assessment"), [first[b.pk] for b in barriers]),
            Series(_("Latest assessment"), [latest[b.pk] for b in barriers]),
        ],
        notes=[
            _(
                "Cases active in the period with at least one assessment; a barrier counts when "
                "its severity is above 'none'. Each case once per column."
            )
        ],
    )
