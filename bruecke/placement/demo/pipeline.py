"""Demo pipelines, placements and check-ins for each team.

Idempotent: a team whose cases already have pipeline entries is left alone. Runs after the
employers and opportunities exist; without open opportunities it does nothing. Everything is
written through the services (as the team's placement officer, else its team lead).
"""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role, Team
from bruecke.placement.models import (
    Application,
    CheckIn,
    CheckInOutcome,
    CloseReason,
    Opportunity,
    OpportunityStatus,
    PermitDecision,
    PlacementKind,
    Stage,
    WageBand,
)
from bruecke.placement.selectors.scope import opportunities_visible_to
from bruecke.placement.services import pipeline, placements

logger = logging.getLogger(__name__)


def _actor(team: Team) -> User | None:
    for role in (Role.PLACEMENT_OFFICER, Role.TEAM_LEAD):
        membership = (
            Membership.objects.filter(team=team, role=role, ended_on__isnull=True, user__is_active=True)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if membership is not None:
            return membership.user
    return None


def seed(demo: DemoNetwork) -> None:
    if not Opportunity.objects.filter(status=OpportunityStatus.OPEN).exists():
        return
    for team in Team.objects.filter(network=demo.network).order_by("pk"):
        # One team's demo data at a time: data the services refuse (an opportunity
        # another part of the demo made differently) leaves that team without a pipeline
        # and is logged, instead of stopping `make run`.
        try:
            with transaction.atomic():
                _seed_team(team)
        except ValidationError as error:
            logger.warning("Demo pipeline of team %s skipped: %s", team.pk, "; ".join(error.messages))


def _seed_team(team: Team) -> None:
    actor = _actor(team)
    cases = list(
        Case.objects.filter(team=team)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("participant")
        .order_by("pk")
    )
    if actor is None or not cases or Application.objects.filter(team=team).exists():
        return
    opportunities = list(
        pipeline_opportunities(actor).filter(places__gte=2).order_by("start_date", "pk")[:4]
        or pipeline_opportunities(actor).order_by("start_date", "pk")[:4]
    )
    if not opportunities:
        return
    today = timezone.localdate()
    case = cases[0]
    on = max(case.opened_on, today - datetime.timedelta(days=14))
    entries = []
    for opportunity in opportunities:
        entries.append(pipeline.application_create(actor=actor, case=case, opportunity=opportunity, on=on))
    moves = [
        [],
        [Stage.APPLIED, Stage.INTERVIEW],
        [Stage.APPLIED],
        [Stage.WITHDRAWN],
    ]
    for entry, path in zip(entries, moves, strict=False):
        for step, days in zip(path, (10, 5), strict=False):
            reason = CloseReason.PARTICIPANT_DECLINED if step == Stage.WITHDRAWN else ""
            entry.refresh_from_db()
            pipeline.application_move(
                actor=actor,
                application=entry,
                stage=step,
                on=max(on, today - datetime.timedelta(days=days)),
                close_reason=reason,
            )
    # A pending work-permission application where the participant's status needs one.
    for entry in entries[1:3]:
        entry.refresh_from_db()
        if entry.is_open and pipeline.permit_needed(pipeline.permit_answer(entry)):
            pipeline.permit_save(
                actor=actor,
                application=entry,
                data={"applied_on": today - datetime.timedelta(days=3), "decision": PermitDecision.PENDING},
            )
            break
    _seed_placements(actor, case, opportunities[0], today)


def pipeline_opportunities(actor: User) -> QuerySet[Opportunity]:
    return opportunities_visible_to(actor).filter(status=OpportunityStatus.OPEN)


def _seed_placements(actor: User, case: Case, opportunity: Opportunity, today: datetime.date) -> None:
    """Two placements found without the pipeline: one whose 1-month check-in noted a risk
    of dropping out, one whose 1-month check-in was missed."""
    employer = opportunity.employer
    start = case.opened_on
    at_risk = placements.placement_create(
        actor=actor,
        case=case,
        data={
            "kind": PlacementKind.EMPLOYMENT,
            "start_date": start,
            "employer": employer,
            "hours_per_week": 30,
            "wage_band": WageBand.MINIMUM,
            "fixed_term_until": None,
        },
    )
    first = CheckIn.objects.get(placement=at_risk, months_after_start=1)
    placements.check_in_record(
        actor=actor,
        check_in=first,
        done_on=today,
        outcome=CheckInOutcome.AT_RISK,
        note="Schwierigkeiten mit den Schichtzeiten; Gespräch mit dem Betrieb vereinbart.",
    )
    missed = placements.placement_create(
        actor=actor,
        case=case,
        data={
            "kind": PlacementKind.MINIJOB,
            "start_date": start,
            "employer": employer,
            "hours_per_week": 8,
            "wage_band": WageBand.MINIJOB,
            "fixed_term_until": None,
        },
    )
    # The demo's cases were opened about a month ago: the first check-in is shown as missed.
    CheckIn.objects.filter(placement=missed, months_after_start=1).update(
        due_on=min(today - datetime.timedelta(days=3), start + datetime.timedelta(days=27))
    )
