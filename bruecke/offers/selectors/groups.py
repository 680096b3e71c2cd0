"""Reading group offers, sessions, enrolments and attendance for a user.

Scope comes only from `core.access`: offers and sessions by `offers_filter` (network-wide
read, own organisation write), the roster by `group_roster_filter`, the participants who may
be enrolled by the case rule for recording case work (decision 0043).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.models import Enrolment, GroupOffer, GroupSession

AnyUser = User | AnonymousUser


def group_offers_visible_to(user: AnyUser, *, write: bool = False) -> QuerySet[GroupOffer]:
    return GroupOffer.objects.filter(access.offers_filter(user, write=write))


def roster_offers(user: AnyUser, *, write: bool = False) -> QuerySet[GroupOffer]:
    """The offers whose participants `user` sees (or records: enrols, takes attendance)."""
    return GroupOffer.objects.filter(access.group_roster_filter(user, write=write))


def group_offer_get(user: AnyUser, pk: int, *, write: bool = False) -> GroupOffer:
    queryset = group_offers_visible_to(user, write=write).select_related("organisation", "team", "trainer")
    return access.get_or_404(queryset, pk=pk)


def roster_offer_get(user: AnyUser, pk: int) -> GroupOffer:
    """An offer the user enrols participants in and takes attendance for (else 404)."""
    return access.get_or_404(roster_offers(user, write=True).select_related("organisation"), pk=pk)


def roster_session_get(user: AnyUser, pk: int) -> GroupSession:
    sessions = GroupSession.objects.filter(offer__in=roster_offers(user, write=True))
    return access.get_or_404(sessions.select_related("offer__organisation"), pk=pk)


def roster_enrolment_get(user: AnyUser, pk: int) -> Enrolment:
    enrolments = Enrolment.objects.filter(offer__in=roster_offers(user, write=True))
    return access.get_or_404(enrolments.select_related("offer", "participant"), pk=pk)


def group_offer_list(user: AnyUser, filters: dict[str, Any], today: datetime.date) -> QuerySet[GroupOffer]:
    """The list: kind and current/past filters, counts annotated (one query per page)."""
    offers = group_offers_visible_to(user).select_related("organisation", "team")
    if filters.get("kind"):
        offers = offers.filter(kind=filters["kind"])
    when = filters.get("when")
    if when == "current":
        offers = offers.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    elif when == "past":
        offers = offers.filter(ends_on__lt=today)
    return offers.annotate(
        session_count=Count("sessions", distinct=True),
        enrolled_count=Count("enrolments", filter=Q(enrolments__left_on__isnull=True), distinct=True),
    ).order_by("-starts_on", "title", "pk")


def enrolable_cases(user: AnyUser, offer: GroupOffer) -> QuerySet[Case]:
    """Cases whose participant `user` may enrol: the user records case work on them (the
    case rule), of the offer's organisation, not closed, not yet enrolled in the offer."""
    enrolled = Enrolment.objects.filter(offer=offer).values("participant_id")
    return (
        Case.objects.filter(access.case_filter(user, Perm.RECORD_CASE_WORK))
        .filter(organisation_id=offer.organisation_id)
        .exclude(status=CaseStatus.CLOSED)
        .exclude(participant_id__in=enrolled)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_names", "pk")
    )
