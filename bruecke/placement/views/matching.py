"""Matching pages: open opportunities for a case, participants for an opportunity."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bruecke.cases.selectors.cases import case_get
from bruecke.cases.views.common import acting_user
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.placement.matching.engine import opportunities_for_case, participants_for_opportunity
from bruecke.placement.selectors.scope import opportunity_get


@login_required
def case_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The open opportunities ranked for the participant of a case, each score explained."""
    access.require(request.user, Perm.VIEW_PLACEMENT)
    user = acting_user(request)
    case = case_get(user, pk)
    ranking = opportunities_for_case(user, case)
    audit_read(actor=user, obj=case)
    context = {
        "case": case,
        "title": _("Matching opportunities"),
        "ranking": ranking,
        "may_propose": access.has_perm(user, Perm.MANAGE_PLACEMENT),
    }
    return render(request, "placement/matching/case_matches.html", context)


@login_required
def opportunity_matches(request: HttpRequest, pk: int) -> HttpResponse:
    """The participants in the user's scope ranked for an opportunity."""
    access.require(request.user, Perm.VIEW_PLACEMENT)
    user = acting_user(request)
    opportunity = opportunity_get(user, pk)
    ranking = participants_for_opportunity(user, opportunity)
    shown = [m.obj.case for m in ranking.matches + ranking.excluded]  # type: ignore[attr-defined]
    if shown:
        audit_read_all(actor=user, objs=shown)
    context = {
        "opportunity": opportunity,
        "ranking": ranking,
        "may_propose": access.has_perm(user, Perm.MANAGE_PLACEMENT),
    }
    return render(request, "placement/matching/opportunity_matches.html", context)
