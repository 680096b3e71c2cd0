"""The paths that make duplicate detection fit a million registrations: records built
in bulk with each distinct name keyed once, and training on a random sample of the
registrations (real Splink runs on small generated data)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from dedupe_data import generate

from bruecke.dedupe import training
from bruecke.dedupe.records import Record, record_from_row, records_from_rows

ROW = {
    "pk": 1,
    "organisation_id": 1,
    "given_names": "Mohammed",
    "family_name": "Al-Hassan",
    "given_names_own_script": "",
    "family_name_own_script": "",
    "birth_year": 1990,
    "birth_month": 3,
    "birth_day": 4,
    "gender": "male",
}


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return records_from_rows(r.row for r in generate(3_000, seed=11))


def test_bulk_records_equal_one_by_one_records() -> None:
    rows = [r.row for r in generate(2_000, seed=5)]
    assert records_from_rows(rows) == [record_from_row(row) for row in rows]


def test_the_memo_tells_names_apart_by_latin_and_own_script_text() -> None:
    own_only = {**ROW, "pk": 2, "given_names": "", "given_names_own_script": "محمد"}
    other_script = {**ROW, "pk": 3, "given_names": "", "given_names_own_script": "Олена"}
    other_latin = {**ROW, "pk": 4, "given_names": "Olena"}
    rows = [ROW, own_only, other_script, other_latin, {**ROW, "pk": 5}]
    bulk = records_from_rows(rows)
    assert bulk == [record_from_row(row) for row in rows]
    assert bulk[2].given_key != bulk[1].given_key
    assert bulk[3].given_latin == "olena" and bulk[0].given_latin != bulk[3].given_latin


def test_training_on_a_sample_counts_term_frequencies_on_every_record(records: list[Record]) -> None:
    sampled = training.train(records, training_records=1_000)
    assert sampled.records == len(records)
    assert sampled.term_frequencies == training.term_frequencies(records)
    full = training.train(records)  # the default sample is larger than the data: all of it
    # A random sample keeps every pair with the same chance: the prior (share of pairs
    # that are duplicates) stays the same order of magnitude, not 3x as on 1/3 of the people.
    assert 0.5 < sampled.parameters.prior / full.parameters.prior < 2.0
    # The strongest evidence keeps its sign and rough size.
    for comparison, level in (("birth_date", "same"), ("family_name", "same"), ("given_name", "else")):
        a = sampled.parameters.levels[comparison][level].weight
        b = full.parameters.levels[comparison][level].weight
        assert a * b > 0 and abs(a - b) < 2.5, (comparison, level, a, b)
    assert sampled.parameters != full.parameters  # the sample really was smaller


def test_a_training_sample_below_the_minimum_is_refused(records: list[Record]) -> None:
    with pytest.raises(ValueError, match="training_records"):
        training.train(records, training_records=training.MIN_TRAINING_RECORDS - 1)
