"""The veto on entirely different given names, and the cap on the size of a block."""

from __future__ import annotations

import duckdb

from bruecke.dedupe import batch
from bruecke.dedupe.records import Record, record_from_row
from bruecke.dedupe.scoring import default_parameters, score, vetoed_pair


def _record(pk: int, given: str, family: str, **fields: object) -> Record:
    row = {
        "pk": pk,
        "organisation_id": 1,
        "given_names": given,
        "family_name": family,
        "birth_year": 1994,
        "birth_month": 3,
        "birth_day": 7,
        "gender": "male",
        "country_of_birth": "SY",
        "nationality": "SY",
        "postcode": "18055",
        "town": "Rostock",
        **fields,
    }
    return record_from_row(row)


def test_twins_with_other_given_names_are_vetoed_whatever_else_agrees() -> None:
    hassan, hussein = _record(1, "Omar", "Khaled"), _record(2, "Yusuf", "Khaled")
    assert vetoed_pair(hassan, hussein)
    assert score(default_parameters(), hassan, hussein).vetoed
    # Another spelling, swapped names or a shared name part are no veto.
    assert not vetoed_pair(_record(3, "Mohammed", "Al-Hassan"), _record(4, "Muhammad", "Alhassan"))
    assert not vetoed_pair(_record(5, "Mohammed", "Al-Hassan"), _record(6, "Al-Hassan", "Mohammed"))
    assert not vetoed_pair(_record(7, "Mohammed Ali", "Hassan"), _record(8, "Ali", "Hassan"))


def test_the_batch_search_never_proposes_a_vetoed_pair() -> None:
    records = [
        _record(1, "Omar", "Khaled"),
        _record(2, "Yusuf", "Khaled"),  # twin of 1
        _record(3, "Mohammed", "Al-Hassan"),
        _record(4, "Muhammad", "Alhassan"),  # the same person as 3
    ]
    pairs = batch.find_pairs(records, default_parameters(), {}, threshold_weight=-100.0)
    found = {(a, b) for a, b, _weight in pairs}
    assert (3, 4) in found
    assert (1, 2) not in found


def _pairs(records: list[Record], max_block: int) -> set[tuple[int, int]]:
    connection = duckdb.connect(":memory:")
    try:
        table = batch.candidate_pairs(connection, records, max_block=max_block)
        rows = connection.execute(f"SELECT join_key_l, join_key_r FROM {table}").fetchall()  # noqa: S608
    finally:
        connection.close()
    return {(int(a), int(b)) for a, b in rows}


def test_a_key_shared_by_more_registrations_than_the_cap_forms_no_pairs() -> None:
    # Three people sharing only "one name part with the birth year" (different full dates).
    records = [
        _record(1, "Mohammed", "Hassan", birth_month=1, birth_day=2),
        _record(2, "Mohammed", "Karimi", birth_month=5, birth_day=9),
        _record(3, "Mohammed", "Tesfay", birth_month=8, birth_day=30),
    ]
    assert _pairs(records, max_block=3) == {(1, 2), (1, 3), (2, 3)}
    assert _pairs(records, max_block=2) == set()
