"""The reporting section of "Mein Tag" for users with figures (team lead, coordinator):
key figures of this year in the default project and the entries and exits per month.

The coordinator gets the whole network, a team lead their own team (or organisation
without a team). Counts only; about eight queries, whatever the data.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from bruecke.cases.models import Contact
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.models import Referral
from bruecke.offers.selectors.referrals import overdue_q
from bruecke.participants.selectors import AnyUser
from bruecke.placement.selectors.figures import placements_by_kind
from bruecke.projects.models import Project
from bruecke.reporting.dashboard import Panel
from bruecke.reporting.scope import ReportScope, projects_for
from bruecke.reporting.selectors import slice_for
from bruecke.reporting.selectors.dashboard_flow import flow, per_month


def own_scope(user: AnyUser) -> ReportScope | None:
    """A team lead's team (or organisation), otherwise the network of the first role with
    figures."""
    with_figures = access.memberships_with(user, Perm.VIEW_AGGREGATES)
    if not with_figures:
        return None
    for m in with_figures:
        if Perm.VIEW_TEAM_CASELOADS in access.ROLE_PERMISSIONS.get(m.role, frozenset()):
            if m.team_id is not None and m.team is not None:
                return ReportScope(
                    network_id=m.organisation.network_id,
                    key=f"team-{m.team_id}",
                    label=_("Team: %(name)s") % {"name": m.team.name},
                    team_id=m.team_id,
                )
            return ReportScope(
                network_id=m.organisation.network_id,
                key=f"org-{m.organisation_id}",
                label=_("Partner: %(name)s") % {"name": m.organisation.name},
                organisation_id=m.organisation_id,
            )
    network = with_figures[0].organisation.network
    return ReportScope(
        network_id=network.pk,
        key=f"network-{network.pk}",
        label=_("Whole network: %(name)s") % {"name": network.name},
    )


def this_year(project: Project, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This calendar year up to today, inside the project's funding period."""
    end = min(today, project.ends_on) if project.ends_on else today
    end = max(end, project.starts_on)
    return max(datetime.date(end.year, 1, 1), project.starts_on), end


def start_page_figures(user: AnyUser, today: datetime.date) -> dict[str, Any] | None:
    scope = own_scope(user)
    if scope is None:
        return None
    project = projects_for(user).filter(network_id=scope.network_id).first()
    if project is None:
        return {"scope": scope, "project": None}
    start, end = this_year(project, today)
    part = slice_for(scope, project, start, end)
    moves = flow(part)
    query = urlencode(
        {"project": project.pk, "start": start.isoformat(), "end": end.isoformat(), "scope": scope.key}
    )
    return {
        "scope": scope,
        "project": project,
        "start": start,
        "end": end,
        "entries": moves.total("entries"),
        "exits": moves.total("exits"),
        "placements": sum(placements_by_kind(part.organisation_ids, part.team_id, start, end).values()),
        "contacts": Contact.objects.filter(
            part.q("case__"), case__participant__project_id=part.project_id, date__gte=start, date__lte=end
        ).count(),
        "overdue_referrals": Referral.objects.filter(part.q(), overdue_q(today)).count(),
        "panel": Panel("start-flow", per_month(moves, part), kind="columns"),
        "dashboard_url": f"{reverse('reporting:dashboard')}?{query}",
    }
