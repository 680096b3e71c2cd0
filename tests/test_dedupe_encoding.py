"""The keyed Bloom-filter encodings compared across partners (no database)."""

from __future__ import annotations

from typing import Any

from bruecke.dedupe.crosspartner.encoding import BITS, block_keys, bloom_filter, dice, encode, network_key
from bruecke.dedupe.crosspartner.matching import THRESHOLD
from bruecke.dedupe.records import Record, record_from_row

KEY = network_key(1, "a test secret")


def _record(
    given: str, family: str, year: int | None, month: int | None = None, day: int | None = None, **more: Any
) -> Record:
    row = {
        "given_names": given,
        "family_name": family,
        "birth_year": year,
        "birth_month": month,
        "birth_day": day,
        "gender": more.pop("gender", "male"),
        "country_of_birth": more.pop("country", "SY"),
        **more,
    }
    return record_from_row(row)


def _dice(a: Record, b: Record, key: bytes = KEY) -> float:
    return dice(bloom_filter(a, key), bloom_filter(b, key))


MOHAMMED = _record("Mohammed", "Al-Hassan", 1994, 3, 7)


def test_the_encoding_is_deterministic_for_a_key_and_has_the_agreed_length() -> None:
    first, again = encode(MOHAMMED, KEY), encode(MOHAMMED, network_key(1, "a test secret"))
    assert first == again
    assert len(first.bits) == BITS // 8
    assert 0 < int.from_bytes(first.bits, "big").bit_count() < BITS // 4


def test_another_network_or_secret_gives_an_unrelated_encoding() -> None:
    other_network, other_secret = network_key(2, "a test secret"), network_key(1, "another secret")
    for key in (other_network, other_secret):
        assert key != KEY
        # Unrelated filters of this fill share few bits by chance (about the fill rate).
        assert dice(bloom_filter(MOHAMMED, KEY), bloom_filter(MOHAMMED, key)) < 0.3
        assert not set(block_keys(MOHAMMED, KEY)) & set(block_keys(MOHAMMED, key))


def test_the_encoding_holds_no_readable_part_of_the_name() -> None:
    encoded = encode(MOHAMMED, KEY)
    text = encoded.bits.hex() + " ".join(encoded.blocks)
    for part in ("mohammed", "hassan", "hasen", "1994"):
        assert part not in text


def test_transliteration_variants_swaps_and_partial_dates_match() -> None:
    same_people = [
        (MOHAMMED, _record("Muhammad", "Alhasan", 1994, 3)),  # demo pair: day unknown at B
        (MOHAMMED, _record("Al-Hassan", "Mohammed", 1994, 3, 7)),  # swapped
        (MOHAMMED, _record("Mohamed", "Al-Hasan", 1994, 1, 1)),  # 01.01. placeholder
        (
            _record("Olena", "Schewtschenko", 1987, 11, gender="female", country="UA"),
            _record("Olena", "Shevchenko", 1987, 11, gender="female", country="UA"),
        ),
        (
            _record("Abdulrahman", "Hussein", 2003, country="IQ"),
            _record("Abd al-Rahman", "Husain", 2003, country="IQ"),
        ),
        (
            _record("Amina", "Rahimi", 1999, gender="female", country="AF"),
            _record("Amina", "Rahimi", 1999, gender="female", country="AF"),
        ),
    ]
    for a, b in same_people:
        assert _dice(a, b) >= THRESHOLD, (a.full_key, b.full_key, _dice(a, b))
        assert set(block_keys(a, KEY)) & set(block_keys(b, KEY))


def test_different_people_do_not_match() -> None:
    different = [
        _record("Mohammed", "Hussein", 1994, 5, 2),  # another family name and date
        _record("Mahmoud", "Al-Hassan", 1994, 3, 7, country="IQ"),  # another given name and country
        _record("Amal", "Al-Hassan", 1994, 3, 7, gender="female"),  # his twin sister
        _record("Fatima", "Yusuf", 1994, 3, 7, gender="female"),
        _record("Mohammed", "Al-Hassan", 1971),  # same name, another birth year
    ]
    for other in different:
        assert _dice(MOHAMMED, other) < THRESHOLD, (other.full_key, _dice(MOHAMMED, other))


def test_a_common_name_gives_unrelated_filters_in_different_birth_years() -> None:
    """Salting with the birth year: the most common name has no pattern of its own that a
    frequency attack could align with the most common name of a name list."""
    filters = [bloom_filter(_record("Mohammed", "Ahmad", year), KEY) for year in range(1980, 1990)]
    for i, a in enumerate(filters):
        for b in filters[i + 1 :]:
            assert dice(a, b) < 0.35
    # The bits every one of them sets are the few a year-independent feature could set:
    # none, since only the year itself is unsalted and every year differs.
    common = int.from_bytes(filters[0], "big")
    for f in filters[1:]:
        common &= int.from_bytes(f, "big")
    assert common.bit_count() <= 2


def test_registrations_without_a_birth_year_or_family_name_still_encode() -> None:
    no_year = _record("Yonas", "", None, gender="", country="")
    assert int.from_bytes(bloom_filter(no_year, KEY), "big").bit_count() > 0
    assert block_keys(no_year, KEY)
    assert _dice(no_year, _record("Yonas", "", None, gender="", country="")) == 1.0
    arabic_only = record_from_row(
        {"given_names_own_script": "محمد", "family_name_own_script": "الحسن", "birth_year": 1994}
    )
    assert block_keys(arabic_only, KEY)
    empty = record_from_row({})
    assert dice(bloom_filter(empty, KEY), bloom_filter(empty, KEY)) == 0.0
    assert block_keys(empty, KEY) == []
