"""Writes of duplicate detection that other apps call (blocking keys and the cross-partner
encoding of a registration)."""

from __future__ import annotations

from collections.abc import Sequence

from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.crosspartner.services import encodings_created, refresh_encoding
from bruecke.dedupe.models import BlockingKey
from bruecke.dedupe.records import record_of
from bruecke.participants.models import Participant


def registration_changed(participant: Participant) -> None:
    """Called by the participant services whenever a registration is created or its
    compared fields change: keeps everything duplicate detection derives in step."""
    refresh_blocking_keys(participant)
    # The keyed encoding compared across partners, and its matches (bounded work).
    refresh_encoding(participant)


def refresh_blocking_keys(participant: Participant) -> None:
    """Rebuilt whenever a registration's compared fields change (participant services)."""
    keys = blocking_keys(record_of(participant))
    BlockingKey.objects.filter(participant=participant).delete()
    BlockingKey.objects.bulk_create(
        BlockingKey(participant=participant, organisation_id=participant.organisation_id, key=key)
        for key in sorted(keys)
    )


def registrations_created(participants: Sequence[Participant]) -> None:
    """`registration_changed` for many new registrations at once (an imported list): their
    blocking keys in one INSERT, their cross-partner encodings and blocks in one each, then
    each compared with the other partners' as one by one."""
    BlockingKey.objects.bulk_create(
        BlockingKey(participant=participant, organisation_id=participant.organisation_id, key=key)
        for participant in participants
        for key in sorted(blocking_keys(record_of(participant)))
    )
    encodings_created(participants)
