"""Duplicate detection at scale: time and peak memory to train and batch-search N
registrations (synthetic, `bench/dedupe_data.py`). Goal at 1,000,000: < 217 s, <= 8 GB.

    .venv/bin/python bench/dedupe_scale.py --size 1000000

Timed: the comparable records from the rows (what the job does after reading them),
training (Splink: prior, u, EM, threshold calibration) and the batch search with the
trained model (blocking keys joined in DuckDB, scored by Splink). Not timed: generating
the data. Peak memory is the process's maximum resident size (Python and DuckDB).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from dedupe_data import generate  # noqa: E402

from bruecke.dedupe import batch, training  # noqa: E402
from bruecke.dedupe.records import record_from_row  # noqa: E402


def peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=19)
    args = parser.parse_args()
    started = time.perf_counter()
    rows = [r.row for r in generate(args.size, seed=args.seed)]
    print(f"generated {len(rows)} registrations in {time.perf_counter() - started:.1f} s (not timed)")

    timings: dict[str, float] = {}
    started = time.perf_counter()
    records = [record_from_row(row) for row in rows]
    del rows
    timings["records"] = time.perf_counter() - started

    started = time.perf_counter()
    result = training.train(records)
    timings["training"] = time.perf_counter() - started
    print(f"training: {timings['training']:.1f} s, peak {peak_gb():.2f} GB", flush=True)

    started = time.perf_counter()
    params = result.parameters
    pairs = batch.find_pairs(records, params, result.term_frequencies, params.threshold_weight)
    timings["batch search"] = time.perf_counter() - started

    for step, seconds in timings.items():
        print(f"{step}: {seconds:.1f} s")
    total = sum(timings.values())
    print(f"total: {total:.1f} s (goal < 217 s), {len(pairs)} pairs")
    print(f"peak memory: {peak_gb():.2f} GB (goal <= 8 GB)")


if __name__ == "__main__":
    main()
