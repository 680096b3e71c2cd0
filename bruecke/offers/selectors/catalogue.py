"""Reading the catalogue of measures and providers (always through the scope in
core.access: the network's entries are read, the own organisation's are changed)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Min, Q, QuerySet

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.offers.models import Measure, Provider
from bruecke.placement.kldb import fold

AnyUser = User | AnonymousUser


def providers_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Provider]:
    return Provider.objects.filter(access.offers_filter(user, write=write))


def provider_get(user: AnyUser, pk: object, *, write: bool = False) -> Provider:
    queryset = providers_visible_to(user, write=write).select_related("organisation", "partner")
    return access.get_or_404(queryset, pk=pk)


def measures_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[Measure]:
    return Measure.objects.filter(access.offers_filter(user, write=write))


def measure_get(user: AnyUser, pk: object, *, write: bool = False) -> Measure:
    queryset = measures_visible_to(user, write=write).select_related(
        "organisation", "provider", "provider__partner"
    )
    return access.get_or_404(queryset, pk=pk)


def with_next_start(queryset: QuerySet[Measure], today: datetime.date) -> QuerySet[Measure]:
    """Adds `next_start`: the first start date from `today` on (None if none is known)."""
    return queryset.annotate(next_start=Min("starts__starts_on", filter=Q(starts__starts_on__gte=today)))


def measure_list(user: AnyUser, filters: dict[str, Any], today: datetime.date) -> QuerySet[Measure]:
    """The measures `user` sees, filtered; with provider and next start date."""
    queryset = measures_visible_to(user)
    if not filters.get("inactive"):
        queryset = queryset.filter(is_active=True)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("provider_kind"):
        queryset = queryset.filter(provider__kind=filters["provider_kind"])
    if filters.get("town"):
        town = filters["town"].strip()
        queryset = queryset.filter(Q(places__icontains=town) | Q(provider__town__icontains=town))
    if filters.get("language"):
        queryset = queryset.filter(languages__icontains=filters["language"].strip())
    for word in fold(filters.get("q") or "").split():  # every word, in any order
        queryset = queryset.filter(title_key__contains=word)
    if filters.get("provider"):
        queryset = queryset.filter(provider_id=filters["provider"].pk)
    return with_next_start(queryset.select_related("provider", "organisation"), today).order_by("title", "id")


def provider_list(user: AnyUser, filters: dict[str, Any]) -> QuerySet[Provider]:
    queryset = providers_visible_to(user)
    if not filters.get("inactive"):
        queryset = queryset.filter(is_active=True)
    if filters.get("kind"):
        queryset = queryset.filter(kind=filters["kind"])
    if filters.get("town"):
        queryset = queryset.filter(town__icontains=filters["town"].strip())
    for word in fold(filters.get("q") or "").split():
        queryset = queryset.filter(name_key__contains=word)
    return queryset.select_related("organisation", "partner").order_by("name", "id")
