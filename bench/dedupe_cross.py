"""Benchmark: matching across partners on keyed Bloom-filter encodings only.

Usage:

    .venv/bin/python bench/dedupe_cross.py --size 10000 [--thresholds 0.78 0.8 0.82 0.84 0.86]

Registrations come from the synthetic generator `bench/dedupe_data.py`
(`generate(n, seed=19, organisations=5)`; truth: the same person_id). Every registration is
encoded as the product does it (`bruecke.dedupe.crosspartner.encoding`, one network key),
then compared, as `matching.candidates` does, only with encodings of OTHER organisations
sharing a keyed block, at most MAX_CANDIDATES of them, ranked by shared blocks. Runs in
memory (no database): it measures what the encoding can tell apart and the cost of
encoding and comparing; the database lookup of a block is an indexed equality query.

Reported per threshold: pairwise precision, recall and F1 of cross-partner pairs (goal
F1 >= 0.85), blocking recall (true cross-partner pairs sharing a block), and the time per
registration for encoding and for matching.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bruecke.settings")
os.environ.setdefault("BRUECKE_ENV", "development")

import django  # noqa: E402

django.setup()

from bruecke.dedupe.crosspartner.encoding import Encoding, dice, encode, network_key  # noqa: E402
from bruecke.dedupe.crosspartner.matching import MAX_CANDIDATES, THRESHOLD  # noqa: E402
from bruecke.dedupe.records import record_from_row  # noqa: E402

Pair = tuple[int, int]


def _registrations(size: int, seed: int, organisations: int) -> list[Any]:
    from dedupe_data import generate  # bench/dedupe_data.py

    return list(generate(size, seed=seed, organisations=organisations))


def _truth(registrations: list[Any]) -> set[Pair]:
    by_person: dict[Any, list[int]] = defaultdict(list)
    for index, registration in enumerate(registrations):
        by_person[registration.person_id].append(index)
    pairs = set()
    for indexes in by_person.values():
        for a, b in combinations(indexes, 2):
            if registrations[a].organisation != registrations[b].organisation:
                pairs.add((a, b))
    return pairs


def _scored_pairs(registrations: list[Any], encodings: list[Encoding]) -> tuple[dict[Pair, float], float]:
    """Each registration against the others' encodings sharing a block (bounded), as at a
    registration change; returns the scores and the seconds spent."""
    started = time.perf_counter()
    index: dict[str, list[int]] = defaultdict(list)
    for i, encoding in enumerate(encodings):
        for key in encoding.blocks:
            index[key].append(i)
    scores: dict[Pair, float] = {}
    for i, encoding in enumerate(encodings):
        shared: Counter[int] = Counter()
        for key in encoding.blocks:
            for j in index[key]:
                if registrations[j].organisation != registrations[i].organisation:
                    shared[j] += 1
        ranked = sorted(shared.items(), key=lambda item: (-item[1], item[0]))[:MAX_CANDIDATES]
        for j, _count in ranked:
            pair = (min(i, j), max(i, j))
            if pair not in scores:
                scores[pair] = dice(encoding.bits, encodings[j].bits)
    return scores, time.perf_counter() - started


def run(size: int, seed: int, organisations: int, thresholds: list[float]) -> None:
    registrations = _registrations(size, seed, organisations)
    key = network_key(1, "bench-linkage-secret")
    started = time.perf_counter()
    encodings = [encode(record_from_row(r.row), key) for r in registrations]
    encode_seconds = time.perf_counter() - started
    truth = _truth(registrations)
    scores, match_seconds = _scored_pairs(registrations, encodings)
    blocked = len(truth & scores.keys()) / len(truth) if truth else 1.0
    print(
        f"registrations {len(registrations)}, organisations {organisations}, "
        f"true cross-partner pairs {len(truth)}, compared pairs {len(scores)}"
    )
    print(f"blocking recall {blocked:.3f}")
    print(
        f"encoding {1000 * encode_seconds / len(registrations):.3f} ms per registration, "
        f"matching {1000 * match_seconds / len(registrations):.3f} ms per registration"
    )
    print("threshold  precision  recall  F1")
    for threshold in sorted({*thresholds, THRESHOLD}):
        found = {pair for pair, score in scores.items() if score >= threshold}
        hits = len(found & truth)
        precision = hits / len(found) if found else 1.0
        recall = hits / len(truth) if truth else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        mark = "  <- in use" if threshold == THRESHOLD else ""
        print(f"{threshold:9.2f}  {precision:9.3f}  {recall:6.3f}  {f1:.3f}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--organisations", type=int, default=5)
    parser.add_argument(
        "--thresholds", type=float, nargs="*", default=[0.76, 0.78, 0.80, 0.82, 0.84, 0.86, 0.88, 0.90]
    )
    options = parser.parse_args()
    run(options.size, options.seed, options.organisations, options.thresholds)


if __name__ == "__main__":
    main()
