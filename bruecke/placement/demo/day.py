"""A fuller placement day for `make run`: cases for the demo's other participants, with a
profile for matching and a pipeline entry each.

Called by `seed_demo`, not by the test harness: most tests keep the small fixed demo
whose counts they rely on. Idempotent: a participant who has a case is left alone.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.cases.services import cases as case_services
from bruecke.cases.services.profile import RowChange, profile_save
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership, Role, Team
from bruecke.participants.models import Participant
from bruecke.placement.demo.pipeline import _actor, pipeline_opportunities
from bruecke.placement.models import Occupation, Stage
from bruecke.placement.services import pipeline

# (experience code, years, wished code) by participant, in the demo's order.
logger = logging.getLogger(__name__)

PROFILES = [
    ("29301", "3", "29302"),
    ("82101", "2", "82102"),
    ("51311", "4", "52122"),
    ("62101", "1", "62102"),
    ("11101", "5", "12142"),
    ("25212", "6", "25212"),
    ("63301", "2", "63302"),
]
STAGES = [[], [Stage.APPLIED], [Stage.APPLIED, Stage.INTERVIEW]]


def _staff(participant: Participant, team: Team, role: str) -> User | None:
    membership = (
        Membership.objects.filter(
            organisation=participant.organisation,
            team=team,
            role=role,
            ended_on__isnull=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def seed_day(demo: DemoNetwork) -> None:
    today = timezone.localdate()
    participants = (
        Participant.objects.filter(organisation__network=demo.network, team__isnull=False, cases__isnull=True)
        .select_related("team")
        .order_by("pk")
    )
    for index, participant in enumerate(participants):
        try:
            with transaction.atomic():
                _seed_case(participant, index, today)
        except ValidationError as error:
            logger.warning("Demo placement day of participant %s skipped: %s", participant.pk, error.messages)


def _seed_case(participant: Participant, index: int, today: datetime.date) -> None:
    team = participant.team
    manager = _staff(participant, team, Role.CASE_MANAGER) if team else None
    if team is None or manager is None:
        return
    officer = _staff(participant, team, Role.PLACEMENT_OFFICER)
    opened = max(participant.entry_date, today - datetime.timedelta(days=60))
    case = case_services.case_open(
        actor=manager,
        case=Case(
            participant=participant,
            team=team,
            case_manager=manager,
            placement_officer=officer,
            opened_on=opened,
        ),
    )
    experience, years, wish = PROFILES[index % len(PROFILES)]
    profile_save(
        actor=manager,
        case=case,
        data={"public_transport": True, "max_travel_minutes": 60, "shifts_possible": index % 3 != 0},
        experiences=[
            RowChange(
                pk=None,
                data={
                    "occupation": Occupation.objects.get(code=experience).title,
                    "kldb_code": experience,
                    "years": Decimal(years),
                },
            )
        ],
        wished_occupations=[RowChange(pk=None, data={"kldb_code": wish})],
    )
    _propose(team, case, index, opened)


def _propose(team: Team, case: Case, index: int, opened: datetime.date) -> None:
    actor = _actor(team)
    if actor is None:
        return
    opportunity = (
        pipeline_opportunities(actor).order_by("start_date", "pk")[index % 3 : index % 3 + 1].first()
    )
    if opportunity is None:
        return
    entry = pipeline.application_create(actor=actor, case=case, opportunity=opportunity, on=opened)
    for step in STAGES[index % len(STAGES)]:
        entry.refresh_from_db()
        pipeline.application_move(actor=actor, application=entry, stage=step, on=timezone.localdate())
