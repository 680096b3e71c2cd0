"""Batch search for probable duplicates among many registrations.

A plain reference implementation: every pair of registrations that shares a blocking key
is scored once with the Fellegi–Sunter parameters; pairs at or above the threshold are
returned. (The tuned search for a million registrations replaces this body; the signature
stays.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.records import Record
from bruecke.dedupe.scoring import Parameters, TermFrequencies, score


def find_pairs(
    records: Sequence[Record], params: Parameters, tf: TermFrequencies, threshold_weight: float
) -> list[tuple[int, int, float]]:
    """(smaller pk, larger pk, weight) of every pair sharing a blocking key whose weight
    reaches `threshold_weight`, strongest first."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in blocking_keys(record):
            by_key[key].append(index)
    candidates: set[tuple[int, int]] = set()
    for members in by_key.values():
        for i, left in enumerate(members):
            for right in members[i + 1 :]:
                candidates.add((left, right))
    found = []
    for left, right in candidates:
        a, b = records[left], records[right]
        if a.pk is None or b.pk is None or a.pk == b.pk:
            continue
        weight = score(params, a, b, tf).weight
        if weight >= threshold_weight:
            found.append((min(a.pk, b.pk), max(a.pk, b.pk), weight))
    found.sort(key=lambda item: (-item[2], item[0], item[1]))
    return found
