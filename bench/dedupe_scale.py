"""Duplicate detection at scale: time and peak memory to train and batch-search N
registrations (synthetic, `bench/dedupe_data.py`). Goal at 1,000,000: < 217 s, <= 8 GB.

    .venv/bin/python bench/dedupe_scale.py --size 1000000
    .venv/bin/python bench/dedupe_scale.py --size 1000000 --network-wide   # the search before
    .venv/bin/python bench/dedupe_scale.py --size 100000 --training-records 20000 --compare-full

Timed: the comparable records from the rows (what the job does after reading them),
training (Splink on a sample of `--training-records`: prior, u, EM; threshold
calibration) and the batch search with the trained model, run per organisation as the
review runs it (`dedupe.review.services.pairs_refresh`: the organisation's registrations,
the network's term frequencies); `--network-wide` searches all registrations at once
instead (what this benchmark measured until 2026-12-07). Not timed: generating the data,
and with `--compare-full` a second training on every registration, whose weights are
printed beside the sampled ones. Peak memory is the process's maximum resident size
(Python and DuckDB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from dedupe_data import generate  # noqa: E402

from bruecke.dedupe import batch, training  # noqa: E402
from bruecke.dedupe.records import Record, records_from_rows  # noqa: E402
from bruecke.dedupe.scoring import Parameters  # noqa: E402


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def weights(params: Parameters) -> dict[str, float]:
    return {f"{c}.{level}": p.weight for c, levels in params.levels.items() for level, p in levels.items()}


def compare(sampled: training.TrainingResult, full: training.TrainingResult) -> None:
    a, b = weights(sampled.parameters), weights(full.parameters)
    differences = sorted(((abs(a[k] - b[k]), k) for k in a), reverse=True)
    print(f"prior: sampled {sampled.parameters.prior:.3e}, all {full.parameters.prior:.3e}")
    print(
        f"threshold: sampled {sampled.parameters.threshold_weight:.3f},"
        f" all {full.parameters.threshold_weight:.3f}"
    )
    mean = sum(d for d, _k in differences) / len(differences)
    print(f"level weights: mean |difference| {mean:.3f} over {len(differences)} levels; largest:")
    for difference, key in differences[:8]:
        print(f"  {key}: sampled {a[key]:+.3f}, all {b[key]:+.3f} ({difference:.3f})")


def print_quality(
    label: str,
    found: list[tuple[int, int, float]],
    groups: dict[int | None, list[Record]],
    person: dict[int, int],
) -> None:
    """Pairwise precision, recall and F1 against the generator's truth, among the pairs
    the search could find (registrations of one person within one searched group)."""
    truth: set[tuple[int, int]] = set()
    for members in groups.values():
        by_person: dict[int, list[int]] = defaultdict(list)
        for record in members:
            assert record.pk is not None
            by_person[person[record.pk]].append(record.pk)
        for pks in by_person.values():
            pks.sort()
            truth.update((a, b) for i, a in enumerate(pks) for b in pks[i + 1 :])
    hits = sum(1 for a, b, _w in found if (a, b) in truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(
        f"{label}: precision {precision:.4f}, recall {recall:.4f}, F1 {f1:.4f}"
        f" ({len(found)} pairs, {len(truth)} true pairs within the searched groups)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--training-records", type=int, default=training.TRAINING_RECORDS)
    parser.add_argument("--network-wide", action="store_true", help="one batch search over all")
    parser.add_argument("--compare-full", action="store_true", help="also train on all (not timed)")
    parser.add_argument(
        "--truth", action="store_true", help="precision and recall of the pairs found (not timed)"
    )
    args = parser.parse_args()
    started = time.perf_counter()
    registrations = generate(args.size, seed=args.seed)
    rows = [r.row for r in registrations]
    person = {r.row["pk"]: r.person_id for r in registrations} if args.truth else {}
    del registrations
    print(f"generated {len(rows)} registrations in {time.perf_counter() - started:.1f} s (not timed)")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    records = records_from_rows(rows)
    del rows
    timings["records"] = time.perf_counter() - started
    print(f"records: {timings['records']:.1f} s", flush=True)

    started = time.perf_counter()
    result = training.train(records, training_records=args.training_records)
    timings["training"] = time.perf_counter() - started
    print(
        f"training on {min(args.training_records, len(records))}: {timings['training']:.1f} s,"
        f" peak {peak_gb():.2f} GB",
        flush=True,
    )

    started = time.perf_counter()
    params = result.parameters
    if args.network_wide:
        groups: dict[int | None, list[Record]] = {None: list(records)}
    else:
        groups = defaultdict(list)
        for record in records:
            groups[record.organisation_id].append(record)
    found: list[tuple[int, int, float]] = []
    for organisation, members in sorted(groups.items(), key=lambda item: item[0] or 0):
        step = time.perf_counter()
        pairs = batch.find_pairs(members, params, result.term_frequencies, params.threshold_weight)
        found += pairs
        label = "network" if organisation is None else f"organisation {organisation}"
        seconds = time.perf_counter() - step
        print(f"  {label}: {len(members)} registrations, {len(pairs)} pairs, {seconds:.1f} s")
        del pairs
    timings["batch search"] = time.perf_counter() - started

    for step_name, seconds in timings.items():
        print(f"{step_name}: {seconds:.1f} s")
    total = sum(timings.values())
    print(f"total: {total:.1f} s (goal < 217 s), {len(found)} pairs, threshold {params.threshold_weight}")
    print(f"peak memory: {peak_gb():.2f} GB (goal <= 8 GB)", flush=True)
    if args.truth:
        print_quality("sampled training", found, groups, person)

    if args.compare_full and len(records) > args.training_records:
        started = time.perf_counter()
        full = training.train(records, training_records=len(records))
        print(f"training on all {len(records)} (not timed above): {time.perf_counter() - started:.1f} s")
        compare(result, full)
        if args.truth:
            pairs = []
            for members in groups.values():
                pairs += batch.find_pairs(
                    members, full.parameters, full.term_frequencies, full.parameters.threshold_weight
                )
            print_quality("training on all", pairs, groups, person)


if __name__ == "__main__":
    main()
