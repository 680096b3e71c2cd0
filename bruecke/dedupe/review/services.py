"""Writes of the duplicate review: finding the organisation's probable duplicates, and the
decision that two registrations are different people. Merging is in `dedupe.merge`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_update
from bruecke.dedupe import batch
from bruecke.dedupe.active import active_model
from bruecke.dedupe.models import DuplicatePair, PairStatus
from bruecke.dedupe.records import SOURCE_FIELDS, Record, records_from_rows
from bruecke.dedupe.scoring import probability, score
from bruecke.network.models import Organisation
from bruecke.participants.models import Participant

CHUNK = 2000


@dataclass(frozen=True)
class RefreshResult:
    compared: int  # registrations compared
    proposed: int  # open pairs after the run
    new: int
    dropped: int


def _rows(organisation: Organisation) -> Iterator[Mapping[str, Any]]:
    """The organisation's registrations (not merged ones), streamed in chunks."""
    queryset = Participant.objects.filter(organisation=organisation, merged_into__isnull=True)
    yield from queryset.order_by("pk").values(*SOURCE_FIELDS).iterator(chunk_size=CHUNK)


@transaction.atomic
def pairs_refresh(organisation: Organisation, actor: User | None = None) -> RefreshResult:
    """Searches the organisation's registrations for probable duplicates with the
    network's active model and brings the open pairs up to date: new ones added, weights
    renewed, those below the threshold (or of a registration merged since) dropped. A pair
    once marked distinct or merged is never proposed again."""
    records: list[Record] = records_from_rows(_rows(organisation))
    model = active_model(organisation.network_id)
    tf = model.term_frequencies(records)
    found = batch.find_pairs(records, model.parameters, tf, model.threshold_weight)
    by_pk = {r.pk: r for r in records}
    existing = {
        (p.first_id, p.second_id): p
        for p in DuplicatePair.objects.filter(organisation=organisation).select_for_update()
    }
    created, updated, keep = [], [], set()
    for first, second, _weight in found:
        pair = existing.get((first, second))
        if pair is not None and pair.status != PairStatus.OPEN:
            continue  # decided: never proposed again
        result = score(model.parameters, by_pk[first], by_pk[second], tf)
        values = {
            "weight": result.weight,
            "probability": probability(result.weight),
            "evidence": [e.to_json() for e in result.evidence],
        }
        keep.add((first, second))
        if pair is None:
            created.append(
                DuplicatePair(organisation=organisation, first_id=first, second_id=second, **values)
            )
        elif any(getattr(pair, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(pair, key, value)
            updated.append(pair)
    stale = [p.pk for key, p in existing.items() if p.status == PairStatus.OPEN and key not in keep]
    DuplicatePair.objects.bulk_create(created)
    DuplicatePair.objects.bulk_update(updated, ["weight", "probability", "evidence"])
    DuplicatePair.objects.filter(pk__in=stale).delete()
    if created or stale:
        # One event per run that changed the proposals, naming no registration.
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            object_type="dedupe.duplicatepair",
            organisation=organisation,
            changed_fields=["status", "weight"],
        )
    return RefreshResult(compared=len(records), proposed=len(keep), new=len(created), dropped=len(stale))


@transaction.atomic
def pair_mark_distinct(*, actor: User, pair: DuplicatePair) -> DuplicatePair:
    """The review's decision that the two registrations are different people: remembered,
    so the pair is never proposed again."""
    pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
    if pair.status != PairStatus.OPEN:
        raise ValidationError(_("This pair has already been decided."))
    updated, _changed = model_update(
        actor=actor,
        instance=pair,
        data={"status": PairStatus.DISTINCT, "decided_by": actor, "decided_at": timezone.now()},
    )
    return updated
