"""Figures of the school pathway for the reporting capability, counted in SQL.

No personal data leaves these functions: counts only. The caller decides which
organisations (and team) the user may see figures of (`access.organisation_ids(user,
Perm.VIEW_AGGREGATES)`); these functions only filter and count. Participants are counted
through their open cases, so a participant with two open cases counts once per case.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from bruecke.cases.models import Case
from bruecke.offers.models import EnrolmentStatus, SchoolRecord, TransitionRecord
from bruecke.offers.selectors.school import OPEN_CASE_STATUSES, born_within, school_age_window


def _open_cases(organisation_ids: Iterable[int], team_id: int | None) -> QuerySet[Case]:
    cases = Case.objects.filter(organisation_id__in=sorted(organisation_ids), status__in=OPEN_CASE_STATUSES)
    return cases.filter(team_id=team_id) if team_id is not None else cases


def school_age_enrolment(
    organisation_ids: Iterable[int], team_id: int | None, on: datetime.date
) -> dict[str, int]:
    """Open cases whose participant could be of school age on `on`: how many are enrolled,
    how many not (no record, not enrolled, or requested). One query."""
    first, last = school_age_window(on)
    enrolled = SchoolRecord.objects.filter(case_id=OuterRef("pk"), status=EnrolmentStatus.ENROLLED)
    counts = (
        born_within(_open_cases(organisation_ids, team_id), first, last, prefix="participant__")
        .alias(is_enrolled=Exists(enrolled))
        .aggregate(
            enrolled=Count("pk", filter=Q(is_enrolled=True)),
            not_enrolled=Count("pk", filter=Q(is_enrolled=False)),
        )
    )
    return {"enrolled": counts["enrolled"], "not_enrolled": counts["not_enrolled"]}


def transitions_by_follow_on(organisation_ids: Iterable[int], team_id: int | None) -> dict[str, int]:
    """Transition records of open cases, counted per follow-on after school. One query."""
    records = TransitionRecord.objects.filter(
        organisation_id__in=sorted(organisation_ids), case__status__in=OPEN_CASE_STATUSES
    )
    if team_id is not None:
        records = records.filter(team_id=team_id)
    rows = records.order_by().values("follow_on").annotate(n=Count("id")).values_list("follow_on", "n")
    return dict(rows)
