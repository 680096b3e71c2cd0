"""Reads of the duplicate review, always within the organisations where the user reviews
duplicates (`core.access.duplicate_review_organisation_ids`); anything else is 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.dedupe.models import DuplicatePair, Merge, PairStatus
from bruecke.dedupe.scoring import FieldEvidence
from bruecke.participants.models import Participant

AnyUser = User | AnonymousUser


def pairs_to_review(user: AnyUser) -> QuerySet[DuplicatePair]:
    """Open pairs of the user's organisations, strongest first; a pair of a registration
    merged since is left out (it comes back when that merge is undone)."""
    organisations = sorted(access.duplicate_review_organisation_ids(user))
    return (
        DuplicatePair.objects.filter(
            organisation_id__in=organisations,
            status=PairStatus.OPEN,
            first__merged_into__isnull=True,
            second__merged_into__isnull=True,
        )
        .select_related("first__team", "second__team")
        .annotate(percent=F("probability") * 100)
        .order_by("-weight", "id")
    )


def pair_get(user: AnyUser, pk: object) -> DuplicatePair:
    organisations = sorted(access.duplicate_review_organisation_ids(user))
    queryset = (
        DuplicatePair.objects.filter(organisation_id__in=organisations)
        .select_related("first__team", "second__team", "first__organisation", "decided_by")
        .annotate(percent=F("probability") * 100)
    )
    return access.get_or_404(queryset, pk=pk)


def merges_visible_to(user: AnyUser) -> QuerySet[Merge]:
    organisations = sorted(access.duplicate_review_organisation_ids(user))
    return (
        Merge.objects.filter(organisation_id__in=organisations)
        .select_related("kept__team", "merged", "merged_by", "undone_by")
        .order_by("-created_at", "-id")
    )


def merge_get(user: AnyUser, pk: object) -> Merge:
    return access.get_or_404(merges_visible_to(user), pk=pk)


def evidence_of(pair: DuplicatePair) -> list[FieldEvidence]:
    """The stored evidence per field, to be put in words (`label`, `level_label`)."""
    return [FieldEvidence(e["comparison"], e["level"], float(e["weight"])) for e in pair.evidence]


@dataclass(frozen=True)
class RecordCounts:
    cases: int
    contacts: int
    consents: int
    documents: int
    esf_entries: int
    esf_exits: int


def record_counts(participant: Participant) -> RecordCounts:
    """What a registration holds: what a merge would move (shown on the pair page)."""
    from bruecke.cases.models import Case, CaseDocument, Contact
    from bruecke.esf.models import EntryRecord, ExitRecord

    return RecordCounts(
        cases=Case.objects.filter(participant=participant).count(),
        contacts=Contact.objects.filter(case__participant=participant).count(),
        consents=participant.consents.count(),
        documents=CaseDocument.objects.filter(case__participant=participant).count(),
        esf_entries=EntryRecord.objects.filter(participant=participant).count(),
        esf_exits=ExitRecord.objects.filter(participant=participant).count(),
    )


def participants_may_view(user: AnyUser, participant: Participant) -> bool:
    """Whether `user` may open the registration's own page (a data-protection officer or a
    team lead of another team may review it without that)."""
    return Participant.objects.filter(access.participant_filter(user), pk=participant.pk).exists()


def participants_viewable(user: AnyUser, participants: list[Participant]) -> set[int]:
    """Which of `participants` `user` may open (one query; a merged registration never)."""
    pks = sorted(p.pk for p in participants)
    return set(
        Participant.objects.filter(access.participant_filter(user), pk__in=pks).values_list("pk", flat=True)
    )
