"""Reading employers for the list and the employer page (always through the scope)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.placement.models import Employer, EmployerSite, OpportunityStatus
from bruecke.placement.models.employers import fold_name
from bruecke.placement.selectors.scope import AnyUser, employers_visible_to


def employer_list(user: AnyUser, filters: dict[str, Any], today: datetime.date) -> QuerySet[Employer]:
    """The employers `user` sees, filtered; with their active sites and open opportunities."""
    queryset = employers_visible_to(user)
    if filters.get("q"):
        queryset = queryset.filter(search_name__contains=fold_name(filters["q"]))
    if filters.get("sector"):
        queryset = queryset.filter(sector=filters["sector"])
    if filters.get("status"):
        queryset = queryset.filter(cooperation_status=filters["status"])
    own = sorted(access.organisation_ids(user, Perm.VIEW_PLACEMENT))
    if filters.get("owner") == "own":
        queryset = queryset.filter(organisation_id__in=own)
    elif filters.get("owner") == "shared":
        queryset = queryset.exclude(organisation_id__in=own)
    if filters.get("weeks"):
        cutoff = today - datetime.timedelta(weeks=filters["weeks"])
        queryset = queryset.filter(Q(last_contact_on__lt=cutoff) | Q(last_contact_on__isnull=True))
    return (
        queryset.select_related("organisation")
        .annotate(open_count=Count("opportunities", filter=Q(opportunities__status=OpportunityStatus.OPEN)))
        .prefetch_related(
            Prefetch("sites", queryset=EmployerSite.objects.filter(is_active=True), to_attr="active_sites")
        )
        .order_by("name", "id")
    )
