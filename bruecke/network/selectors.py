"""Reads of the network, always scoped to what the asking user may see."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.network.models import ConsultationHour, Membership, MobileSite, Office, Organisation, Team
from bruecke.network.schedule import week_schedule

AnyUser = User | AnonymousUser


def offices_visible_to(user: AnyUser) -> QuerySet[Office]:
    return Office.objects.filter(
        organisation__network_id__in=access.network_ids(user), is_active=True
    ).select_related("organisation")


def sites_visible_to(user: AnyUser) -> QuerySet[MobileSite]:
    return MobileSite.objects.filter(network_id__in=access.network_ids(user), is_active=True)


def hours_in_week(user: AnyUser, first_day: datetime.date) -> QuerySet[ConsultationHour]:
    """Hours that may take place in the seven days from `first_day` (any weekday)."""
    last_day = first_day + datetime.timedelta(days=6)
    return (
        ConsultationHour.objects.filter(
            site__network_id__in=access.network_ids(user),
            site__is_active=True,
            team__is_active=True,
            valid_from__lte=last_day,
        )
        .exclude(valid_until__lt=first_day)
        .select_related("site", "team")
    )


def week_by_region(
    user: AnyUser, first_day: datetime.date
) -> list[tuple[str, list[tuple[datetime.date, list[ConsultationHour]]]]]:
    """The seven days' consultation hours from `first_day`, grouped by region, then by day."""
    by_region: dict[str, list[ConsultationHour]] = {}
    for hour in hours_in_week(user, first_day):
        by_region.setdefault(hour.team.region or hour.team.name, []).append(hour)
    return [
        (region, week_schedule(hours, first_day))  # type: ignore[misc]
        for region, hours in sorted(by_region.items())
    ]


# --- administration (administrators of the network only) ---


def organisations_for_admin(user: AnyUser) -> QuerySet[Organisation]:
    return access.organisations_managed_by(user).select_related("network")


def offices_for_admin(user: AnyUser) -> QuerySet[Office]:
    return Office.objects.filter(
        organisation__network_id__in=access.network_ids(user, Perm.MANAGE_NETWORK)
    ).select_related("organisation")


def teams_for_admin(user: AnyUser) -> QuerySet[Team]:
    return Team.objects.filter(network_id__in=access.network_ids(user, Perm.MANAGE_NETWORK)).select_related(
        "network", "office"
    )


def sites_for_admin(user: AnyUser) -> QuerySet[MobileSite]:
    return MobileSite.objects.filter(network_id__in=access.network_ids(user, Perm.MANAGE_NETWORK))


def hours_for_admin(user: AnyUser) -> QuerySet[ConsultationHour]:
    return ConsultationHour.objects.filter(
        site__network_id__in=access.network_ids(user, Perm.MANAGE_NETWORK)
    ).select_related("site", "team")


def staff_for_admin(user: AnyUser) -> QuerySet[User]:
    """Staff with a (current or past) membership in a network the user administers."""
    networks = access.network_ids(user, Perm.MANAGE_NETWORK)
    memberships = Membership.objects.filter(organisation__network_id__in=networks).select_related(
        "organisation", "team"
    )
    return (
        User.objects.filter(memberships__organisation__network_id__in=networks)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(Prefetch("memberships", queryset=memberships))
    )


def memberships_for_admin(user: AnyUser) -> QuerySet[Membership]:
    return Membership.objects.filter(
        organisation__network_id__in=access.network_ids(user, Perm.MANAGE_NETWORK)
    ).select_related("user", "organisation", "team")
