"""The figures of the activity report (Sachbericht) for a project, a period and a scope,
counted in SQL: a fixed number of queries whatever the number of rows.

Participants, contacts, referrals and placements follow the scope down to the team.
People count once: a merged registration never, and registrations of one person at
several partners of the scope (a confirmed match) once (decision 0064): new at their
earliest entry, active or left when any of them was.
Trainings, awareness events and group offers are kept per partner, not per team: for a
team scope they are the figures of the whole network's (or the project's) partners, and
the table says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from bruecke.cases.models import Case
from bruecke.cases.models.anonymous import AnonymousContact
from bruecke.cases.models.contacts import Contact
from bruecke.esf.exit_models import ExitRecord
from bruecke.offers.selectors import figures as offer_figures
from bruecke.offers.selectors import group_figures as group_selectors
from bruecke.offers.selectors import referral_figures
from bruecke.offers.selectors.figures import Reached
from bruecke.offers.selectors.group_figures import GroupFigures
from bruecke.participants.models import Participant
from bruecke.placement.selectors import figures as placement_figures
from bruecke.projects.models import Project
from bruecke.reporting.forecast import partner_ids
from bruecke.reporting.people import counted_once, join_people, people_count
from bruecke.reporting.scope import ReportScope


@dataclass
class ActivityFigures:
    new: int = 0
    active: int = 0
    exited: int = 0
    contacts_by_channel: dict[str, int] = field(default_factory=dict)
    anonymous_contacts: int = 0
    referrals: dict[tuple[str, str], int] = field(default_factory=dict)
    groups: GroupFigures = field(default_factory=GroupFigures)
    group_participants: int = 0
    trainings: int = 0
    training_audience: dict[str, Reached] = field(default_factory=dict)
    events: dict[str, Reached] = field(default_factory=dict)
    placements: dict[str, int] = field(default_factory=dict)
    per_partner_only: bool = False  # the scope is a team: offers counted per partner


def scope_organisations(project: Project, scope: ReportScope) -> list[int]:
    """The partners of the project inside the scope."""
    return sorted(set(partner_ids(project)) & set(scope.organisation_ids()))


def activity_figures(
    project: Project, scope: ReportScope, start: datetime.date, end: datetime.date
) -> ActivityFigures:
    orgs = scope_organisations(project, scope)
    team = scope.team_id
    participants = Participant.objects.filter(
        scope.participant_q(), project=project, organisation_id__in=orgs
    )
    joined = join_people(participants, scope.network_id)
    figures = ActivityFigures(per_partner_only=team is not None)
    figures.new = (
        counted_once(participants, joined).filter(entry_date__gte=start, entry_date__lte=end).count()
    )
    figures.active = people_count(_active(participants, start, end), joined)
    left = ExitRecord.objects.filter(participant=OuterRef("pk"), exit_date__gte=start, exit_date__lte=end)
    figures.exited = people_count(participants.filter(Exists(left)), joined)
    figures.contacts_by_channel = dict(
        Contact.objects.filter(case__participant__in=participants, date__gte=start, date__lte=end)
        .order_by()
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    anonymous = AnonymousContact.objects.filter(organisation_id__in=orgs, date__gte=start, date__lte=end)
    if team is not None:
        anonymous = anonymous.filter(team_id=team)
    figures.anonymous_contacts = anonymous.count()
    figures.referrals = referral_figures.referrals_by_kind_and_outcome(orgs, team, start, end)
    figures.groups = group_selectors.group_figures(orgs, start, end)
    figures.group_participants = group_selectors.participants_reached_total(orgs, start, end)
    figures.trainings = offer_figures.trainings_held(orgs, start, end)
    figures.training_audience = offer_figures.training_audience_by_kind(orgs, start, end)
    figures.events = offer_figures.events_by_kind(orgs, start, end)
    figures.placements = placement_figures.placements_by_kind(orgs, team, start, end)
    return figures


def _active(
    participants: QuerySet[Participant], start: datetime.date, end: datetime.date
) -> QuerySet[Participant]:
    """Participants with a case open during the period or a contact in it."""
    open_case = Case.objects.filter(participant=OuterRef("pk"), opened_on__lte=end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=start)
    )
    contact = Contact.objects.filter(case__participant=OuterRef("pk"), date__gte=start, date__lte=end)
    return participants.filter(Q(Exists(open_case)) | Q(Exists(contact)))
