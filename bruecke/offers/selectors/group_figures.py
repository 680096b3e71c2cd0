"""Figures of group offers for the reporting capability, aggregated in SQL.

No personal data leaves these functions: counts per offer kind. The caller decides which
organisations the user may see figures of (`access.organisation_ids(user,
Perm.VIEW_AGGREGATES)`); these functions only filter and count. A session is "held" when
its attendance was taken; the period is inclusive.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum

from bruecke.offers.models import Attendance, AttendanceStatus, GroupSession


@dataclass
class KindFigures:
    sessions_held: int = 0
    guests: int = 0
    present: int = 0
    excused: int = 0
    absent: int = 0
    participants_reached: int = 0  # distinct participants present at least once


@dataclass
class GroupFigures:
    by_kind: dict[str, KindFigures] = field(default_factory=dict)

    @property
    def total(self) -> KindFigures:
        total = KindFigures()
        for figures in self.by_kind.values():
            for name in ("sessions_held", "guests", "present", "excused", "absent"):
                setattr(total, name, getattr(total, name) + getattr(figures, name))
        return total


def group_figures(organisation_ids: Iterable[int], start: datetime.date, end: datetime.date) -> GroupFigures:
    """Sessions held, guests, attendances by status and distinct participants reached per
    offer kind, for sessions between `start` and `end` (two queries).

    `total.participants_reached` is not the sum over kinds (a person may attend two kinds);
    use `participants_reached_total` for that figure."""
    organisations = sorted(organisation_ids)
    sessions = GroupSession.objects.filter(
        offer__organisation_id__in=organisations,
        date__gte=start,
        date__lte=end,
        attendance_taken_at__isnull=False,
    )
    figures = GroupFigures()
    for kind, held, guests in (
        sessions.order_by().values("offer__kind").annotate(n=Count("id"), g=Sum("guests"))
    ).values_list("offer__kind", "n", "g"):
        figures.by_kind[kind] = KindFigures(sessions_held=held, guests=guests or 0)
    attendances = Attendance.objects.filter(session__in=sessions.values("pk"))
    rows = (
        attendances.order_by()
        .values("session__offer__kind")
        .annotate(
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            excused=Count("id", filter=Q(status=AttendanceStatus.EXCUSED)),
            absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
            reached=Count(
                "enrolment__participant_id", filter=Q(status=AttendanceStatus.PRESENT), distinct=True
            ),
        )
    )
    for row in rows:
        kind_figures = figures.by_kind.setdefault(row["session__offer__kind"], KindFigures())
        kind_figures.present = row["present"]
        kind_figures.excused = row["excused"]
        kind_figures.absent = row["absent"]
        kind_figures.participants_reached = row["reached"]
    return figures


def participants_reached_total(
    organisation_ids: Iterable[int], start: datetime.date, end: datetime.date
) -> int:
    """Distinct participants present at least once at a session between `start` and `end`."""
    return (
        Attendance.objects.filter(
            session__offer__organisation_id__in=sorted(organisation_ids),
            session__date__gte=start,
            session__date__lte=end,
            status=AttendanceStatus.PRESENT,
        )
        .values("enrolment__participant_id")
        .distinct()
        .count()
    )
