"""Comparing encodings: only with other organisations' encodings of the same network that
share a keyed block, and only a bounded number of them per registration."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from django.db.models import Count

from bruecke.dedupe.crosspartner.encoding import dice
from bruecke.dedupe.models import CrossPartnerBlock, CrossPartnerEncoding

# Dice coefficient from which two encodings are reported as a possible match: the best F1
# on synthetic registrations (bench/dedupe_cross.py prints F1 per threshold; re-check it
# on `bench/dedupe_data.py` when the encoding or the generator changes).
THRESHOLD: Final = 0.80
# Bounded work per registration change: the candidates sharing the most blocks first.
MAX_CANDIDATES: Final = 500


@dataclass(frozen=True)
class Candidate:
    participant_id: int
    score: float


def candidates(encoding: CrossPartnerEncoding) -> list[Candidate]:
    """Encodings of other organisations of the network sharing a block, with their Dice
    coefficient; those at or above THRESHOLD."""
    if not encoding.blocks:
        return []
    shared = (
        CrossPartnerBlock.objects.filter(network_id=encoding.network_id, key__in=encoding.blocks)
        .exclude(encoding__organisation_id=encoding.organisation_id)
        .filter(encoding__participant__merged_into__isnull=True)
        .values("encoding_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "encoding_id")[:MAX_CANDIDATES]
    )
    ids = [row["encoding_id"] for row in shared]
    rows = CrossPartnerEncoding.objects.filter(pk__in=ids).values_list("participant_id", "bits")
    own = bytes(encoding.bits)
    found = [Candidate(pk, dice(own, bytes(bits))) for pk, bits in rows]
    return sorted((c for c in found if c.score >= THRESHOLD), key=lambda c: (-c.score, c.participant_id))
