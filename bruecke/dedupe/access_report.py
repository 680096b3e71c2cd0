"""What duplicate detection did with a person, for the data-subject access report (Art. 15).

Three lists, read with a fixed number of queries (one more per level of merges into
merges, which are people's decisions and rarely more than one deep):

- merges that involved the person's registrations: when, by whom, which registration was
  merged into which, and whether and when the merge was undone;
- suspected duplicates within the organisation (to be reviewed, or marked as different
  people): only the person's own registration is named, never the other one, which is
  somebody else;
- notices that the person may also be registered at another partner: only the other
  organisation's name, as the notice on the participant page shows it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch, DuplicatePair, Merge, PairStatus
from bruecke.participants.models import Participant
from bruecke.privacy.records import JSON, display_name

EMPTY = "–"


@dataclass(frozen=True)
class MergeEntry:
    merged_at: datetime.datetime
    merged_by: str
    merged: str  # the registration merged (moved into the kept one)
    kept: str
    undone_at: datetime.datetime | None
    undone_by: str


@dataclass(frozen=True)
class SuspicionEntry:
    registration: str  # the person's own registration of the pair
    status: str
    found_at: datetime.datetime
    decided_at: datetime.datetime | None
    decided_by: str


@dataclass(frozen=True)
class NoticeEntry:
    registration: str
    organisation: str  # the other partner: all that is shown of the other side
    status: str
    noticed_at: datetime.datetime


@dataclass(frozen=True)
class DuplicateHistory:
    merges: list[MergeEntry]
    suspicions: list[SuspicionEntry]
    notices: list[NoticeEntry]

    @property
    def rows(self) -> int:
        return len(self.merges) + len(self.suspicions) + len(self.notices)

    def data(self) -> JSON:
        return {
            "merges": [
                {
                    "merged_at": m.merged_at.isoformat(),
                    "merged_by": m.merged_by,
                    "merged_registration": m.merged,
                    "kept_registration": m.kept,
                    "undone_at": m.undone_at.isoformat() if m.undone_at else None,
                    "undone_by": m.undone_by or None,
                }
                for m in self.merges
            ],
            "suspected_duplicates": [
                {
                    "registration": s.registration,
                    "status": s.status,
                    "found_at": s.found_at.isoformat(),
                    "decided_at": s.decided_at.isoformat() if s.decided_at else None,
                    "decided_by": s.decided_by or None,
                }
                for s in self.suspicions
            ],
            "other_partners": [
                {
                    "registration": n.registration,
                    "organisation": n.organisation,
                    "status": n.status,
                    "noticed_at": n.noticed_at.isoformat(),
                }
                for n in self.notices
            ],
        }


def own_registrations(participant: Participant) -> set[int]:
    """The participant's registration and those merged into it, also through earlier merges."""
    own = {participant.pk}
    frontier = [participant.pk]
    while frontier:
        frontier = [
            pk
            for pk in Participant._base_manager.filter(merged_into__in=frontier).values_list("pk", flat=True)
            if pk not in own
        ]
        own.update(frontier)
    return own


def _registration(participant: Participant) -> str:
    registered = formats.date_format(timezone.localtime(participant.created_at), "d.m.Y")
    return _("no. %(id)s, registered on %(date)s as %(name)s") % {
        "id": participant.pk,
        "date": registered,
        "name": participant.full_name,
    }


def _user(user: object) -> str:
    return display_name(user) if user is not None else ""  # type: ignore[arg-type]


def duplicate_history(participant: Participant) -> DuplicateHistory:
    own = sorted(own_registrations(participant))
    merges = (
        Merge.objects.filter(Q(kept_id__in=own) | Q(merged_id__in=own))
        .select_related("kept", "merged", "merged_by", "undone_by")
        .order_by("created_at", "pk")
    )
    pairs = (
        DuplicatePair.objects.filter(Q(first_id__in=own) | Q(second_id__in=own))
        .exclude(status=PairStatus.MERGED)  # a merge is listed as a merge
        .select_related("first", "second", "decided_by")
        .order_by("created_at", "pk")
    )
    matches = (
        CrossPartnerMatch.objects.filter(Q(first_id__in=own) | Q(second_id__in=own))
        .select_related("first__organisation", "second__organisation")
        .order_by("created_at", "pk")
    )
    own_set = set(own)
    suspicions = []
    for pair in pairs:
        mine = pair.first if pair.first_id in own_set else pair.second
        suspicions.append(
            SuspicionEntry(
                _registration(mine),
                str(PairStatus(pair.status).label),
                pair.created_at,
                pair.decided_at,
                _user(pair.decided_by),
            )
        )
    notices = []
    for match in matches:
        first_is_mine = match.first_id in own_set
        mine, other = (match.first, match.second) if first_is_mine else (match.second, match.first)
        notices.append(
            NoticeEntry(
                _registration(mine),
                other.organisation.name,
                str(CrossMatchStatus(match.status).label),
                match.created_at,
            )
        )
    return DuplicateHistory(
        merges=[
            MergeEntry(
                m.created_at,
                _user(m.merged_by),
                _registration(m.merged),
                _registration(m.kept),
                m.undone_at,
                _user(m.undone_by),
            )
            for m in merges
        ],
        suspicions=suspicions,
        notices=notices,
    )
