"""The placement section of the start page ("Mein Tag"): one or two queries per part.

A placement officer sees the pipeline and the follow-ups of the cases assigned to them; a
team lead sees those of the team. Opportunities and employers are the own organisation's.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.placement.models import (
    Application,
    CheckIn,
    CooperationStatus,
    Employer,
    Opportunity,
    OpportunityStatus,
    Placement,
    PlacementStatus,
    Stage,
)
from bruecke.placement.selectors.scope import AnyUser

NEXT_OPPORTUNITIES = 5
FOLLOW_UPS_SHOWN = 10
STALE_EMPLOYERS_SHOWN = 10
# Check-ins due within this many days are listed, overdue ones always.
FOLLOW_UP_AHEAD = datetime.timedelta(days=7)
PIPELINE_STAGES = (Stage.PROPOSED, Stage.APPLIED, Stage.INTERVIEW, Stage.TRIAL, Stage.CONTRACT)
# Employers the team works with: a stale last contact matters only for them.
WORKING_WITH = (CooperationStatus.CONTACTED, CooperationStatus.ACTIVE)


def stale_weeks() -> int:
    return int(settings.PLACEMENT_EMPLOYER_STALE_WEEKS)


def _own_organisations(user: AnyUser) -> list[int]:
    return sorted(access.organisation_ids(user, Perm.MANAGE_PLACEMENT))


def _work_scope(user: AnyUser, *, team: bool, case_field: str) -> Q:
    """Pipeline entries or placements the user records: the team's for a team lead, else only
    those of the cases where the user is the placement officer."""
    scope = access.placement_work_filter(user, write=True)
    if not team:
        scope &= Q(**{f"{case_field}__placement_officer_id": user.pk})
    return scope


def open_opportunities(user: AnyUser) -> QuerySet[Opportunity]:
    """The own organisation's open opportunities, the earliest start first."""
    return (
        Opportunity.objects.filter(
            organisation_id__in=_own_organisations(user), status=OpportunityStatus.OPEN
        )
        .select_related("employer")
        .order_by("start_date", "pk")
    )


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str
    count: int


def pipeline_by_stage(user: AnyUser, *, team: bool) -> list[StageCount]:
    """Open pipeline entries per stage (every open stage, also those with none): one query."""
    rows = (
        Application.objects.filter(_work_scope(user, team=team, case_field="case"), stage__in=PIPELINE_STAGES)
        .values("stage")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {row["stage"]: row["n"] for row in rows}
    return [
        StageCount(stage.value, str(stage.label), counts.get(stage.value, 0)) for stage in PIPELINE_STAGES
    ]


def follow_ups_due(user: AnyUser, today: datetime.date, *, team: bool) -> QuerySet[CheckIn]:
    """Check-ins not yet done that are overdue or due within a week, of placements that have
    not ended; the earliest first."""
    placements = Placement.objects.filter(_work_scope(user, team=team, case_field="case")).exclude(
        status=PlacementStatus.ENDED
    )
    return (
        CheckIn.objects.filter(
            placement__in=placements.values("pk"), done_on__isnull=True, due_on__lte=today + FOLLOW_UP_AHEAD
        )
        .select_related("placement__participant", "placement__employer")
        .order_by("due_on", "pk")
    )


def stale_employers(user: AnyUser, today: datetime.date, weeks: int) -> QuerySet[Employer]:
    """The own organisation's employers in contact or active cooperation whose last recorded
    contact is older than `weeks` weeks (or who have none); the longest without first."""
    since = today - datetime.timedelta(weeks=weeks)
    return (
        Employer.objects.filter(
            organisation_id__in=_own_organisations(user), cooperation_status__in=WORKING_WITH
        )
        .filter(Q(last_contact_on__lt=since) | Q(last_contact_on__isnull=True))
        .order_by(F("last_contact_on").asc(nulls_first=True), "name", "pk")
    )
