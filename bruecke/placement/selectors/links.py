"""Reading employer links and the drafts they bring (scope from core.access)."""

from __future__ import annotations

from django.db.models import QuerySet

from bruecke.core import access
from bruecke.placement.models import Employer, Opportunity, OpportunityStatus, SubmissionLink
from bruecke.placement.selectors.scope import AnyUser, employers_visible_to, opportunities_visible_to


def links_visible_to(user: AnyUser) -> QuerySet[SubmissionLink]:
    """Links of the employers the user may change (MANAGE_PLACEMENT in the owning organisation)."""
    return SubmissionLink.objects.filter(employer__in=employers_visible_to(user, write=True))


def link_get(user: AnyUser, pk: object) -> SubmissionLink:
    return access.get_or_404(links_visible_to(user), pk=pk)


def employer_links(employer: Employer) -> QuerySet[SubmissionLink]:
    return SubmissionLink.objects.filter(employer=employer).select_related("contact", "created_by")


def drafts_visible_to(user: AnyUser) -> QuerySet[Opportunity]:
    """Drafts of the organisations where the user manages placement work, newest first."""
    return (
        opportunities_visible_to(user, write=True)
        .filter(status=OpportunityStatus.DRAFT)
        .select_related("employer", "created_by")
        .order_by("-created_at", "-id")
    )
