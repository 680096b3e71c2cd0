"""Reads for the mobile consultation hour screen and the anonymous short contact figures."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth

from bruecke.cases.models import AnonymousContact, Case, CaseStatus
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.models import MobileSite


def mobile_sites_for(user: AnyUser) -> QuerySet[MobileSite]:
    """Active sites of the networks in which the user records contacts."""
    return MobileSite.objects.filter(
        network_id__in=access.network_ids(user, Perm.EDIT_PARTICIPANTS), is_active=True
    )


def open_cases_for_mobile(user: AnyUser) -> QuerySet[Case]:
    """The open cases the user may record contacts for, by participant name."""
    return (
        cases_visible_to(user, Perm.EDIT_PARTICIPANTS)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_names", "pk")
    )


def anonymous_contacts_visible_to(user: AnyUser) -> QuerySet[AnonymousContact]:
    """The user's organisation's anonymous contacts (narrowed to the team where the role says so)."""
    return access.personal_data_visible_to(user, AnonymousContact.objects.all(), team_field="team")


def anonymous_counts_by_site_month(user: AnyUser, since: datetime.date) -> list[dict[str, Any]]:
    """Per site and month since `since`: how many anonymous short contacts, how many minutes.

    One grouped query; the rows are bounded by sites × months, not by contacts."""
    return list(
        anonymous_contacts_visible_to(user)
        .filter(date__gte=since)
        .annotate(month=TruncMonth("date"))
        .values("month", "site_id", "site__name", "site__town")
        .annotate(contacts=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("-month", "site__name", "site_id")
    )


# Dimensions a report may group anonymous short contacts by.
FIGURE_DIMENSIONS = {
    "organisation": "organisation_id",
    "team": "team_id",
    "site": "site_id",
    "language": "language",
    "gender": "gender",
    "age_group": "age_group",
}


def anonymous_contact_figures(
    user: AnyUser, *, start: datetime.date, end: datetime.date, by: Sequence[str] = ("site",)
) -> list[dict[str, Any]]:
    """Counts for reporting: anonymous short contacts between `start` and `end` (inclusive)
    of every partner in the networks where the user sees aggregated figures, grouped by
    month and the given dimensions. The records hold no personal data, so figures across
    partners are allowed for everyone with Perm.VIEW_AGGREGATES."""
    unknown = set(by) - set(FIGURE_DIMENSIONS)
    if unknown:
        raise ValueError(f"Unknown dimensions: {sorted(unknown)}")
    columns = [FIGURE_DIMENSIONS[name] for name in by]
    return list(
        AnonymousContact.objects.filter(
            organisation__network_id__in=access.network_ids(user, Perm.VIEW_AGGREGATES),
            date__gte=start,
            date__lte=end,
        )
        .annotate(month=TruncMonth("date"))
        .values("month", *columns)
        .annotate(contacts=Count("id"), minutes=Sum("duration_minutes"))
        .order_by("month", *columns)
    )
