"""Reads of the cross-partner notice: what one side of a match may see of the other —
the name of the other organisation, nothing of its record."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participant_get

AnyUser = User | AnonymousUser


@dataclass(frozen=True)
class Notice:
    match_id: int
    organisation_name: str  # the other side's organisation: all that is shown of it


def open_notices(participant: Participant) -> list[Notice]:
    """Open matches of a registration, each as the other organisation's name (one query).

    Only the other side's organisation is read: no name, date or id of its record reaches
    this side."""
    own = participant.pk
    rows = (
        CrossPartnerMatch.objects.filter(Q(first_id=own) | Q(second_id=own), status=CrossMatchStatus.OPEN)
        .filter(first__merged_into__isnull=True, second__merged_into__isnull=True)
        .values_list("pk", "first_id", "first__organisation__name", "second__organisation__name")
        .order_by("pk")
    )
    notices = []
    for pk, first_id, first_name, second_name in rows:
        other = second_name if first_id == own else first_name
        if other != participant.organisation.name:
            notices.append(Notice(pk, other))
    return notices


def match_for_side(
    user: AnyUser, participant_pk: object, match_pk: object
) -> tuple[Participant, CrossPartnerMatch]:
    """The registration `user` acts for and an open or decided match of it; 404 unless the
    user may edit that registration (Perm.EDIT_PARTICIPANTS through the access module)."""
    participant = participant_get(user, participant_pk, Perm.EDIT_PARTICIPANTS)
    matches = CrossPartnerMatch.objects.filter(Q(first_id=participant.pk) | Q(second_id=participant.pk))
    return participant, access.get_or_404(matches, pk=match_pk)


def registrations_counted_elsewhere(participant_ids: Iterable[int]) -> set[int]:
    """Of `participant_ids` (the registrations a report counts), those to leave out
    because a counsellor confirmed them as the same person as another registration in
    the set: of each confirmed pair the one with the larger id, so a person registered at
    two partners is counted once."""
    ids = set(participant_ids)
    confirmed = CrossPartnerMatch.objects.filter(
        status__in=[CrossMatchStatus.CONFIRMED, CrossMatchStatus.SHARED],
        first_id__in=sorted(ids),
        second_id__in=sorted(ids),
    ).values_list("second_id", flat=True)
    return set(confirmed)
