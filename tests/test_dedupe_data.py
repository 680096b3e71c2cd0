"""The synthetic registrations of the duplicate benchmark: API, determinism, realism."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

from dedupe_data import Registration, generate

from bruecke.dedupe.records import SOURCE_FIELDS, record_from_row


@pytest.fixture(scope="module")
def data() -> list[Registration]:
    return generate(10_000)


def test_api_shape_and_arrival_order(data: list[Registration]) -> None:
    assert len(data) == 10_000
    assert all(tuple(r.row) == SOURCE_FIELDS for r in data)
    assert [r.order for r in data] == list(range(10_000))
    assert [r.row["pk"] for r in data] == list(range(1, 10_001))
    assert {r.organisation for r in data} == set(range(5))
    assert all(r.row["organisation_id"] == r.organisation + 1 for r in data)


def test_deterministic_for_a_seed() -> None:
    assert generate(500) == generate(500)
    assert generate(500, seed=20) != generate(500)
    assert {r.organisation for r in generate(500, organisations=2)} == {0, 1}


def test_about_one_point_seven_registrations_per_person(data: list[Registration]) -> None:
    people = {r.person_id for r in data}
    assert 5_500 <= len(people) <= 6_100


def test_duplicates_within_and_across_organisations(data: list[Registration]) -> None:
    organisations: dict[int, set[int]] = defaultdict(set)
    copies = Counter(r.person_id for r in data)
    for r in data:
        organisations[r.person_id].add(r.organisation)
    repeated = [p for p, n in copies.items() if n > 1]
    across = sum(len(organisations[p]) > 1 for p in repeated)
    assert 0.2 < across / len(repeated) < 0.8


def test_copies_vary_as_real_registrations_do(data: list[Registration]) -> None:
    by_person: dict[int, list[dict[str, object]]] = defaultdict(list)
    for r in data:
        by_person[r.person_id].append(r.row)
    spellings = swapped = partial = own_only = 0
    for rows in by_person.values():
        first = rows[0]
        for row in rows[1:]:
            spellings += row["given_names"] != first["given_names"]
            swapped += bool(row["given_names"]) and row["given_names"] == first["family_name"]
            partial += row["birth_month"] is None and first["birth_month"] is not None
    own_only = sum(not r.row["given_names"] and bool(r.row["given_names_own_script"]) for r in data)
    assert spellings > 500 and swapped > 20 and partial > 50 and own_only > 50
    scripts = "".join(str(r.row["family_name_own_script"]) for r in data)
    assert any("\u0600" <= c <= "\u06ff" for c in scripts)  # Arabic
    assert any("\u0400" <= c <= "\u04ff" for c in scripts)  # Cyrillic


def test_transliterations_share_keys_and_common_names_are_shared_by_different_people(
    data: list[Registration],
) -> None:
    people_by_name: dict[tuple[str | None, str | None], set[int]] = defaultdict(set)
    for r in data:
        record = record_from_row(r.row)
        people_by_name[(record.given_key, record.family_key)].add(r.person_id)
    assert max(len(p) for p in people_by_name.values()) >= 5  # Zipf: a common full name
    latin = {str(r.row["given_names"]) for r in data}
    assert {"Mohammed", "Muhammad", "Mohamed"} <= latin


def test_twins_share_family_name_birth_date_and_address(data: list[Registration]) -> None:
    seen: dict[tuple[object, ...], set[int]] = defaultdict(set)
    for r in data:
        row = r.row
        if row["birth_day"] is not None:
            key = (row["family_name"], row["birth_year"], row["birth_month"], row["birth_day"])
            seen[key].add(r.person_id)
    assert sum(len(p) > 1 for p in seen.values()) >= 10
