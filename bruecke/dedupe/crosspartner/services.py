"""Writes of the cross-partner comparison: encodings kept in step with registrations,
matches found, and a user's decision on a match (audited)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.dedupe.crosspartner.encoding import encode, network_key
from bruecke.dedupe.crosspartner.matching import candidates
from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerBlock, CrossPartnerEncoding, CrossPartnerMatch
from bruecke.dedupe.records import record_of
from bruecke.participants.models import Participant


def refresh_encoding(participant: Participant, *, match: bool = True) -> CrossPartnerEncoding | None:
    """Re-encodes a registration and, with `match`, compares it with the other partners'.

    A merged registration has no encoding: it is no longer a person of its own."""
    if participant.merged_into_id is not None:
        CrossPartnerEncoding.objects.filter(participant=participant).delete()
        _drop_open_matches(participant.pk, keep=set())
        return None
    network_id = participant.organisation.network_id
    encoded = encode(record_of(participant), network_key(network_id))
    encoding, _created = CrossPartnerEncoding.objects.update_or_create(
        participant=participant,
        defaults={
            "network_id": network_id,
            "organisation_id": participant.organisation_id,
            "bits": encoded.bits,
            "blocks": encoded.blocks,
        },
    )
    CrossPartnerBlock.objects.filter(encoding=encoding).delete()
    CrossPartnerBlock.objects.bulk_create(
        CrossPartnerBlock(encoding=encoding, network_id=network_id, key=key) for key in encoded.blocks
    )
    if match:
        match_encoding(encoding)
    return encoding


def encodings_created(participants: Sequence[Participant]) -> None:
    """`refresh_encoding` for many new registrations at once (none has an encoding or a
    match yet): the encodings and their blocks in one INSERT each, then each matched.
    Registrations of one organisation are never compared with each other, so the matches
    are the same as when they are created one after the other."""
    encodings = []
    for participant in participants:
        if participant.merged_into_id is not None:
            continue
        network_id = participant.organisation.network_id
        encoded = encode(record_of(participant), network_key(network_id))
        encodings.append(
            CrossPartnerEncoding(
                participant=participant,
                network_id=network_id,
                organisation_id=participant.organisation_id,
                bits=encoded.bits,
                blocks=encoded.blocks,
            )
        )
    CrossPartnerEncoding.objects.bulk_create(encodings)
    CrossPartnerBlock.objects.bulk_create(
        CrossPartnerBlock(encoding=encoding, network_id=encoding.network_id, key=key)
        for encoding in encodings
        for key in encoding.blocks
    )
    for encoding in encodings:
        # Without candidates there is nothing to record, and a new registration has no
        # open match to withdraw: match_encoding would write nothing.
        if candidates(encoding):
            match_encoding(encoding)


def match_encoding(encoding: CrossPartnerEncoding) -> int:
    """Records the matches of one encoding; returns how many are open now.

    A decided match (confirmed, shared, dismissed) is never touched, so a dismissed one is
    never proposed again; an open match the registration no longer reaches is withdrawn."""
    found = {c.participant_id: c.score for c in candidates(encoding)}
    own = encoding.participant_id
    existing = {
        (m.first_id, m.second_id): m
        for m in CrossPartnerMatch.objects.filter(first_id__in=[own, *found], second_id__in=[own, *found])
    }
    for other, score in found.items():
        first, second = min(own, other), max(own, other)
        current = existing.get((first, second))
        if current is None:
            # get_or_create: a concurrent rebuild may have recorded the pair meanwhile.
            CrossPartnerMatch.objects.get_or_create(
                first_id=first, second_id=second, defaults={"network_id": encoding.network_id, "score": score}
            )
        elif current.status == CrossMatchStatus.OPEN and current.score != score:
            current.score = score
            current.save(update_fields=["score", "updated_at"])
    _drop_open_matches(own, keep=set(found))
    return len(found)


def _drop_open_matches(participant_id: int, *, keep: set[int]) -> None:
    stale = CrossPartnerMatch.objects.filter(status=CrossMatchStatus.OPEN).filter(
        first_id=participant_id
    ).exclude(second_id__in=keep) | CrossPartnerMatch.objects.filter(status=CrossMatchStatus.OPEN).filter(
        second_id=participant_id
    ).exclude(first_id__in=keep)
    stale.delete()


@transaction.atomic
def match_decide(
    *, actor: User, match: CrossPartnerMatch, side: Participant, status: str
) -> CrossPartnerMatch:
    """Confirms (same person) or dismisses (not the same person) an open match, on behalf
    of `side`, the registration of the actor's organisation; audited there."""
    if status not in (CrossMatchStatus.CONFIRMED, CrossMatchStatus.DISMISSED):
        raise ValueError(status)
    current = CrossPartnerMatch.objects.select_for_update().get(pk=match.pk)
    if current.status != CrossMatchStatus.OPEN:
        return current
    current.status = status
    current.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=current,
        organisation=side.organisation,
        changed_fields=["status"],
    )
    return current


def rebuild_encodings(*, network_id: int | None = None, batch: int = 500) -> tuple[int, int]:
    """Re-encodes every registration (after a change of the secret or of the encoding),
    then matches them all; returns (encodings, open matches)."""
    queryset = Participant.objects.filter(merged_into__isnull=True).select_related("organisation")
    if network_id is not None:
        queryset = queryset.filter(organisation__network_id=network_id)
    encoded = 0
    for participant in queryset.order_by("pk").iterator(chunk_size=batch):
        with transaction.atomic():
            refresh_encoding(participant, match=False)
        encoded += 1
    encodings = CrossPartnerEncoding.objects.all()
    if network_id is not None:
        encodings = encodings.filter(network_id=network_id)
    for encoding in encodings.order_by("pk").iterator(chunk_size=batch):
        with transaction.atomic():
            match_encoding(encoding)
    opened = CrossPartnerMatch.objects.filter(status=CrossMatchStatus.OPEN)
    if network_id is not None:
        opened = opened.filter(network_id=network_id)
    return encoded, opened.count()
