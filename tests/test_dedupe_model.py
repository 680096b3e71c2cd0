"""The two definitions of every comparison level agree: Splink's weight of a pair (its SQL
on DuckDB) equals `scoring.score` (the Python predicates), and the batch search finds
exactly the pairs that share a blocking key of the intake."""

from __future__ import annotations

import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from dedupe_data import generate

from bruecke.dedupe import batch, scoring, training
from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.comparisons import COMPARISONS
from bruecke.dedupe.records import Record, record_from_row


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return [record_from_row(r.row) for r in generate(2_000, seed=7)]


def _sharing_a_key(records: list[Record]) -> set[tuple[int, int]]:
    by_key: dict[str, list[int]] = defaultdict(list)
    for record in records:
        assert record.pk is not None
        for key in blocking_keys(record):
            by_key[key].append(record.pk)
    return {(min(a, b), max(a, b)) for pks in by_key.values() for a, b in combinations(pks, 2)}


def _skewed_parameters() -> scoring.Parameters:
    """Parameters unlike the defaults in every level, so a level mixed up between SQL and
    Python changes the weight."""
    base = scoring.default_parameters()
    levels = {
        comparison: {
            level: scoring.LevelParameters(m=p.m * (0.9 + 0.013 * i), u=p.u * (1.1 - 0.011 * i))
            for i, (level, p) in enumerate(values.items())
        }
        for comparison, values in base.levels.items()
    }
    return scoring.Parameters(prior=3e-4, levels=levels, threshold_weight=5.0)


@pytest.mark.parametrize("make_params", [scoring.default_parameters, _skewed_parameters])
def test_splink_weight_equals_python_score(records: list[Record], make_params):
    params = make_params()
    tf = training.term_frequencies(records)
    pairs = batch.scored_pairs(records, params, tf, threshold_weight=-1_000.0, max_block=10**9)
    assert len(pairs) > 2_000
    by_pk = {r.pk: r for r in records}
    levels_seen: set[tuple[str, str]] = set()
    for a, b, weight in pairs:
        expected = scoring.score(params, by_pk[a], by_pk[b], tf)
        assert weight == pytest.approx(expected.weight, abs=1e-6), (a, b)
        levels_seen.update((e.comparison, e.level) for e in expected.evidence)
    every_level = {(c.name, level.id) for c in COMPARISONS for level in c.levels}
    assert len(levels_seen) >= len(every_level) - 3  # the check reaches nearly every level


def test_batch_candidates_are_exactly_the_pairs_sharing_a_blocking_key(records: list[Record]) -> None:
    pairs = batch.scored_pairs(
        records, scoring.default_parameters(), {}, threshold_weight=-1_000.0, max_block=10**9
    )
    found = {(a, b) for a, b, _weight in pairs}
    assert found == _sharing_a_key(records)
    assert all(a < b for a, b in found)


def test_threshold_filters_and_orders_by_weight(records: list[Record]) -> None:
    params = scoring.default_parameters()
    everything = batch.find_pairs(records, params, {}, threshold_weight=-1_000.0)
    strong = batch.find_pairs(records, params, {}, threshold_weight=10.0)
    assert strong == [p for p in everything if p[2] >= 10.0]
    assert [w for _a, _b, w in strong] == sorted((w for _a, _b, w in strong), reverse=True)
    assert batch.find_pairs(records[:1], params, {}, 0.0) == []


def test_the_same_name_in_another_script_is_found() -> None:
    rows = [
        {
            "pk": 1,
            "given_names": "Mohammed",
            "family_name": "Al-Hassan",
            "birth_year": 1990,
            "birth_month": 5,
            "birth_day": 3,
            "gender": "male",
            "nationality": "SY",
        },
        {
            "pk": 2,
            "given_names_own_script": "محمد",
            "family_name_own_script": "الحسن",
            "birth_year": 1990,
            "birth_month": 5,
            "birth_day": 3,
            "gender": "male",
            "nationality": "SY",
        },
        {
            "pk": 3,
            "given_names": "Olena",
            "family_name": "Shevchenko",
            "birth_year": 1990,
            "birth_month": 5,
            "birth_day": 3,
            "gender": "female",
            "nationality": "UA",
        },
    ]
    records = [record_from_row(row) for row in rows]
    pairs = batch.find_pairs(records, scoring.default_parameters(), {}, threshold_weight=0.0)
    assert [(a, b) for a, b, _w in pairs] == [(1, 2)]
