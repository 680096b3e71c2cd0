"""Reads of participant data, always through the access module's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.db.models.functions import Coalesce

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.models import AuditEvent
from bruecke.participants import names
from bruecke.participants.models import Consent, NameKey, Participant

AnyUser = User | AnonymousUser
# Reminders for expiring documents: listed 6 weeks ahead, urgent from 2 weeks ahead.
EXPIRY_NOTICE = datetime.timedelta(weeks=6)
EXPIRY_URGENT = datetime.timedelta(weeks=2)


def participants_visible_to(user: AnyUser, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> QuerySet[Participant]:
    return Participant.objects.filter(access.participant_filter(user, perm))


def participant_get(user: AnyUser, pk: object, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> Participant:
    queryset = (
        participants_visible_to(user, perm)
        .select_related("organisation", "team", "created_by", "project")
        .prefetch_related("residence_statuses")
    )
    return access.get_or_404(queryset, pk=pk)


def matching_names(queryset: QuerySet[Participant], query: str) -> QuerySet[Participant]:
    """Participants whose spellings contain every word of `query` (by search key prefix)."""
    keys = names.query_keys(query)
    if not keys:
        return queryset.none()
    for key in keys:
        # IN (SELECT DISTINCT …), not EXISTS: the database cannot probe the name keys once
        # per participant (54,000 probes for "Mohammed" at 1M); it reads the matching keys
        # once from the (key, participant) index and joins them (decision 0068).
        matching = NameKey.objects.filter(key__startswith=key).values("participant_id").distinct()
        queryset = queryset.filter(pk__in=matching)
    return queryset


def consent_get(user: AnyUser, pk: object, perm: Perm) -> Consent:
    """A consent of a participant the user may see (or edit) — otherwise 404."""
    queryset = Consent.objects.filter(participant__in=participants_visible_to(user, perm))
    return access.get_or_404(queryset.select_related("participant"), pk=pk)


def _birth_filter(queryset: QuerySet[Participant], query: str) -> QuerySet[Participant]:
    """A query of digits is a (partial) birth date: 1994, 03.1994 or 07.03.1994."""
    parts = [int(p) for p in query.replace("/", ".").split(".") if p.isdigit()]
    if not parts or parts[-1] < 1900:
        return queryset.none()
    queryset = queryset.filter(birth_year=parts[-1])
    if len(parts) >= 2:
        queryset = queryset.filter(birth_month=parts[-2])
    if len(parts) == 3:
        queryset = queryset.filter(birth_day=parts[0])
    return queryset


@dataclass(frozen=True)
class ParticipantFilter:
    search: str = ""
    team_id: int | None = None
    status: str = ""
    expiring: bool = False
    eligibility: str = ""
    incomplete_esf: bool = False


def participant_list(user: AnyUser, f: ParticipantFilter, today: datetime.date) -> QuerySet[Participant]:
    queryset = participants_visible_to(user).select_related("team", "organisation")
    words = f.search.split()
    dates = [w for w in words if any(c.isdigit() for c in w)]
    text = " ".join(w for w in words if w not in dates)
    if text:
        queryset = matching_names(queryset, text)
    for date in dates:
        queryset = _birth_filter(queryset, date)
    if f.team_id:
        queryset = queryset.filter(team_id=f.team_id)
    if f.status:
        queryset = queryset.filter(current_status=f.status)
    if f.eligibility:
        queryset = queryset.filter(eligibility=f.eligibility)
    if f.incomplete_esf:
        from bruecke.esf.selectors import incomplete_condition

        queryset = queryset.filter(incomplete_condition())
    if f.expiring:
        queryset = queryset.filter(current_valid_until__range=(today, today + EXPIRY_NOTICE))
    return queryset.order_by("latin_name", "id")


def searches_names(f: ParticipantFilter) -> bool:
    """Whether the filter searches by name (not only by a date of birth)."""
    return any(not any(c.isdigit() for c in w) for w in f.search.split())


def matches_first(ordering: list[str]) -> list[OrderBy | str]:
    """The list's ordering for a name search, such that the database finds all matches
    before it sorts them.

    Walking the name index until a page of matches turns up is quick when matches are
    spread over the alphabet, but names are not: the first "Mohammed …" comes after every
    name from A to L (55,000 rows of a 100,000 team at 1M participants, 2.6 s). Sorting by
    COALESCE(column, column), the same order, keeps the database from reading the index in
    order; it takes the matching ids from the name-key index, joins them with the scope's
    index and sorts those few thousand rows, all from indexes (decision 0068).
    """
    first, rest = ordering[0], ordering[1:]
    column = first.removeprefix("-")
    expression = Coalesce(F(column), F(column))
    ordered = expression.desc() if first.startswith("-") else expression.asc()
    return [ordered, *rest]


def expiring_documents(user: AnyUser, today: datetime.date) -> QuerySet[Participant]:
    """Participants whose current document expires within the notice period (dashboard)."""
    return participant_list(user, ParticipantFilter(expiring=True), today).order_by(
        "current_valid_until", "id"
    )


def _merged_ids(participant: Participant) -> list[str]:
    """The participant and every registration merged into it (also through an earlier
    merge into one of those): their history is this person's history."""
    ids, frontier = {participant.pk}, [participant.pk]
    while frontier:
        frontier = list(Participant.objects.filter(merged_into__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids.update(frontier)
    return sorted(str(pk) for pk in ids)


def participant_history(participant: Participant) -> QuerySet[AuditEvent]:
    """Who changed what and when: events of the participant and of its dependent records,
    including those of registrations merged into it (their records moved here)."""
    from django.db.models import Q

    statuses = [str(pk) for pk in participant.residence_statuses.values_list("pk", flat=True)]
    variants = [str(pk) for pk in participant.name_variants.values_list("pk", flat=True)]
    condition = Q(object_type="participants.participant", object_id__in=_merged_ids(participant))
    condition |= Q(object_type="participants.residencestatus", object_id__in=statuses)
    condition |= Q(object_type="participants.namevariant", object_id__in=variants)
    consents = [str(pk) for pk in participant.consents.values_list("pk", flat=True)]
    condition |= Q(object_type="participants.consent", object_id__in=consents)
    return AuditEvent.objects.filter(condition).exclude(action="read").select_related("actor")
