"""Blocking: the keys under which registrations are looked up as candidates.

Only registrations sharing at least one key are scored, at intake and in the batch
search; the keys are chosen so that a true duplicate nearly always shares one (blocking
recall, measured in `bench/dedupe_quality.py`) while a key of a common name stays
small by pairing it with the birth year or another name part.
"""

from __future__ import annotations

from itertools import combinations

from bruecke.dedupe.records import Record


def blocking_keys(record: Record) -> set[str]:
    keys: set[str] = set()
    tokens = sorted(set(record.full_key.split()))
    if tokens:
        keys.add("n:" + " ".join(tokens)[:90])  # every name part, in any order
    for a, b in combinations(tokens, 2):
        keys.add(f"p:{a} {b}"[:100])  # two name parts: an added or lost middle name
    if record.birth_year is not None:
        for token in tokens:
            keys.add(f"y:{token}:{record.birth_year}"[:100])  # one part and the year: typos
        if record.birth_day is not None:
            # The full date: typos in both names.
            keys.add(f"d:{record.birth_year}-{record.birth_month}-{record.birth_day}:{record.sex or ''}")
    return keys
