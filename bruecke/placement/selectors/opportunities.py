"""Reading opportunities for the list (always through the scope)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.placement.kldb import fold
from bruecke.placement.models import Opportunity, OpportunityStatus
from bruecke.placement.models.employers import fold_name
from bruecke.placement.selectors.scope import AnyUser, opportunities_visible_to


def opportunity_list(user: AnyUser, filters: dict[str, Any]) -> QuerySet[Opportunity]:
    """The opportunities `user` sees, filtered (open ones unless another status is asked
    for), by start date."""
    queryset = opportunities_visible_to(user)
    status = filters.get("status") or OpportunityStatus.OPEN
    if status != "all":
        queryset = queryset.filter(status=status)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    occupation = (filters.get("occupation") or "").strip()
    if occupation.isdigit():
        queryset = queryset.filter(occupation__code__startswith=occupation)
    elif occupation:
        queryset = queryset.filter(occupation__search_title__contains=fold(occupation))
    if filters.get("town"):
        queryset = queryset.filter(site__town__icontains=filters["town"].strip())
    if filters.get("employer"):
        queryset = queryset.filter(employer__search_name__contains=fold_name(filters["employer"]))
    if filters.get("start_from"):
        queryset = queryset.filter(start_date__gte=filters["start_from"])
    if filters.get("start_until"):
        queryset = queryset.filter(start_date__lte=filters["start_until"])
    own = sorted(access.organisation_ids(user, Perm.VIEW_PLACEMENT))
    if filters.get("owner") == "own":
        queryset = queryset.filter(organisation_id__in=own)
    elif filters.get("owner") == "shared":
        queryset = queryset.exclude(organisation_id__in=own)
    return queryset.select_related("employer", "site", "occupation").order_by("start_date", "id")
