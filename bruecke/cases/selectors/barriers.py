"""The barrier trajectory of a case: first and latest severity per barrier."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from bruecke.cases.models import Assessment, AssessmentItem, BarrierType, Case
from bruecke.cases.selectors.cases import AnyUser, may_read_confidential


@dataclass(frozen=True)
class BarrierRow:
    barrier: BarrierType
    first: int | None
    latest: int | None
    note: str | None  # None: hidden (sensitive and not the case's own staff)

    @property
    def change(self) -> str:
        if self.first is None or self.latest is None or self.first == self.latest:
            return "same"
        return "smaller" if self.latest < self.first else "larger"


def barrier_trajectory(user: AnyUser, case: Case) -> tuple[list[Assessment], list[BarrierRow]]:
    """All assessments (newest first) and, per barrier, the first and latest severity."""
    assessments = list(
        case.assessments.select_related("assessed_by").prefetch_related(
            Prefetch("items", queryset=AssessmentItem.objects.select_related("barrier"))
        )
    )
    if not assessments:
        return [], []
    own_staff = may_read_confidential(user, case)
    first: dict[int, int] = {}
    latest: dict[int, AssessmentItem] = {}
    for assessment in reversed(assessments):  # oldest first
        for item in assessment.items.all():
            first.setdefault(item.barrier_id, item.severity)
            latest[item.barrier_id] = item
    rows = [
        BarrierRow(
            barrier=item.barrier,
            first=first[barrier_id],
            latest=item.severity,
            note=None if item.barrier.sensitive and not own_staff else item.note,
        )
        for barrier_id, item in sorted(latest.items(), key=lambda pair: pair[1].barrier.position)
    ]
    return assessments, rows
