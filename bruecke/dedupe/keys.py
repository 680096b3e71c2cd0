"""Blocking keys written in bulk: for data loaders and for upgrades of existing data.

A registration saved through the participant services gets its keys there
(`bruecke.dedupe.services.registration_changed`); rows written in bulk (demo and
benchmark loaders) and registrations from before duplicate detection get them here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.db import transaction

from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.models import BlockingKey
from bruecke.dedupe.records import SOURCE_FIELDS, record_from_row, record_of
from bruecke.participants.models import Participant

BATCH = 2000


def keys_of_row(row: Mapping[str, Any]) -> list[str]:
    """The sorted blocking keys of a participant row (a values() row or a loader's dict)."""
    return sorted(blocking_keys(record_from_row(row)))


def blocking_key_objects(participants: Iterable[Participant]) -> Iterator[BlockingKey]:
    """Unsaved BlockingKey rows of saved participants, for bulk_create."""
    for participant in participants:
        for key in sorted(blocking_keys(record_of(participant))):
            yield BlockingKey(
                participant_id=participant.pk, organisation_id=participant.organisation_id, key=key
            )


def rebuild_blocking_keys(*, organisation_id: int | None = None, batch: int = BATCH) -> Iterator[int]:
    """Replaces the blocking keys of every registration (of one organisation), `batch`
    registrations per transaction in id order; yields the number done after each batch.
    Memory stays flat: one batch of rows is held at a time."""
    participants = Participant.objects.order_by("pk")
    if organisation_id is not None:
        participants = participants.filter(organisation_id=organisation_id)
    last, done = 0, 0
    while True:
        rows = list(participants.filter(pk__gt=last).values(*SOURCE_FIELDS)[:batch])
        if not rows:
            return
        with transaction.atomic():
            ids = [row["pk"] for row in rows]
            BlockingKey.objects.filter(participant_id__in=ids).delete()
            BlockingKey.objects.bulk_create(
                BlockingKey(participant_id=row["pk"], organisation_id=row["organisation_id"], key=key)
                for row in rows
                for key in keys_of_row(row)
            )
        last, done = ids[-1], done + len(rows)
        yield done
