"""Who may report on what: the scopes (whole network, one partner, one team) and projects
a user's reports may cover, decided from the one access module's permissions.

Figures need Perm.VIEW_AGGREGATES in the network (team leads and the network coordinator):
they see counts for every partner and team of their network, never a name. The lists
behind a number are a separate question (`may_drill_down`, `drill_down_participants`):
only participants the user may see anyway, so the coordinator gets none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.models import Network, Organisation, Team
from bruecke.participants.models import Participant
from bruecke.participants.selectors import AnyUser, participants_visible_to
from bruecke.projects.models import Project

NETWORK = "network"


@dataclass(frozen=True)
class ReportScope:
    """Whole network, one partner organisation or one team of one network."""

    network_id: int
    key: str  # "network-<id>", "org-<id>" or "team-<id>": the value of the scope field
    label: str
    organisation_id: int | None = None
    team_id: int | None = None

    @property
    def kind(self) -> str:
        if self.team_id is not None:
            return "team"
        if self.organisation_id is not None:
            return "organisation"
        return NETWORK

    def participant_q(self, prefix: str = "") -> Q:
        """The participants this scope covers; `prefix` reaches them from another model
        (e.g. "participant__" from a case)."""
        condition = Q(**{f"{prefix}organisation__network_id": self.network_id})
        # A registration merged into another one has no records left and counts nowhere.
        condition &= Q(**{f"{prefix}merged_into__isnull": True})
        if self.organisation_id is not None:
            condition &= Q(**{f"{prefix}organisation_id": self.organisation_id})
        if self.team_id is not None:
            condition &= Q(**{f"{prefix}team_id": self.team_id})
        return condition

    def organisation_ids(self) -> list[int]:
        """The partner organisations the scope covers (for figures kept per organisation)."""
        if self.organisation_id is not None:
            return [self.organisation_id]
        return list(Organisation.objects.filter(network_id=self.network_id).values_list("id", flat=True))


def reporting_network_ids(user: AnyUser) -> set[int]:
    return access.network_ids(user, Perm.VIEW_AGGREGATES)


def may_report(user: AnyUser) -> bool:
    return bool(reporting_network_ids(user))


def require_reporting(user: AnyUser) -> None:
    if not may_report(user):
        raise Http404


def scopes_for(user: AnyUser) -> list[ReportScope]:
    """Every scope the user may report on: per network the whole network, each active
    partner and each active team."""
    scopes: list[ReportScope] = []
    for network in Network.objects.filter(pk__in=reporting_network_ids(user)).order_by("name"):
        scopes.append(
            ReportScope(
                network_id=network.pk,
                key=f"network-{network.pk}",
                label=_("Whole network: %(name)s") % {"name": network.name},
            )
        )
        for organisation in Organisation.objects.filter(network=network, is_active=True).order_by("name"):
            scopes.append(
                ReportScope(
                    network_id=network.pk,
                    key=f"org-{organisation.pk}",
                    label=_("Partner: %(name)s") % {"name": organisation.name},
                    organisation_id=organisation.pk,
                )
            )
        for team in Team.objects.filter(network=network, is_active=True).order_by("name"):
            scopes.append(
                ReportScope(
                    network_id=network.pk,
                    key=f"team-{team.pk}",
                    label=_("Team: %(name)s") % {"name": team.name},
                    team_id=team.pk,
                )
            )
    return scopes


def resolve_scope(user: AnyUser, key: str | None) -> ReportScope:
    """The scope named `key` (default: the user's first network); 404 outside the user's
    scopes, as for any record the user may not see."""
    scopes = scopes_for(user)
    if not scopes:
        raise Http404
    if not key:
        return scopes[0]
    for scope in scopes:
        if scope.key == key:
            return scope
    raise Http404


def projects_for(user: AnyUser) -> QuerySet[Project]:
    """The projects (ESF operations) of the networks the user may report on."""
    return Project.objects.filter(network_id__in=reporting_network_ids(user)).order_by("name")


def project_for(user: AnyUser, pk: int | str | None) -> Project:
    """A project of the user's networks; 404 otherwise."""
    if pk in (None, ""):
        project = projects_for(user).first()
        if project is None:
            raise Http404
        return project
    return access.get_or_404(projects_for(user), pk=pk)


def may_drill_down(user: AnyUser) -> bool:
    """Whether numbers open the participants behind them: only for users who see personal
    data (the network coordinator is entitled to counts, never to names)."""
    return access.has_perm(user, Perm.VIEW_PERSONAL_DATA)


def drill_down_participants(user: User, ids: QuerySet[Participant]) -> QuerySet[Participant]:
    """The participants behind a number that `user` may see (404 for users who see none)."""
    if not may_drill_down(user):
        raise Http404
    return participants_visible_to(user).filter(pk__in=ids.values("pk"))
