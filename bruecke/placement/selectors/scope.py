"""What a user may see of placement work: every placement page reads through these."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.placement.models import Application, Employer, Opportunity, Placement

AnyUser = User | AnonymousUser


def employers_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Employer]:
    return Employer.objects.filter(access.employer_filter(user, write=write))


def employer_get(user: AnyUser, pk: object, *, write: bool = False) -> Employer:
    return access.get_or_404(employers_visible_to(user, write=write).select_related("organisation"), pk=pk)


def opportunities_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(access.opportunity_filter(user, write=write))


def opportunity_get(user: AnyUser, pk: object, *, write: bool = False) -> Opportunity:
    queryset = opportunities_visible_to(user, write=write).select_related("employer", "site", "occupation")
    return access.get_or_404(queryset, pk=pk)


def applications_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Application]:
    return Application.objects.filter(access.placement_work_filter(user, write=write))


def placements_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Placement]:
    return Placement.objects.filter(access.placement_work_filter(user, write=write))
