"""A registration as duplicate detection compares it: derived, comparable columns.

Names become sorted phonetic token keys (`participants.names`, so transliterations
agree) and lowercase Latin text (for spelling similarity); a birth date of 01.01. or one
marked as a placeholder counts as a year only; "not stated" is unknown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bruecke.participants import names

# Columns read from a participant row; `record_from_row` accepts a dict with these keys.
SOURCE_FIELDS = (
    "pk",
    "organisation_id",
    "given_names",
    "family_name",
    "given_names_own_script",
    "family_name_own_script",
    "birth_year",
    "birth_month",
    "birth_day",
    "birth_date_is_placeholder",
    "gender",
    "country_of_birth",
    "nationality",
    "postcode",
    "town",
)


@dataclass(frozen=True)
class Record:
    pk: int | None
    organisation_id: int | None
    given_key: str | None  # sorted token keys, space-separated; None if no name
    family_key: str | None
    given_latin: str | None  # lowercase ASCII words
    family_latin: str | None
    birth_year: int | None
    birth_month: int | None  # None when unknown or a placeholder
    birth_day: int | None
    sex: str | None  # None when not stated
    country_of_birth: str | None
    nationality: str | None
    postcode: str | None
    town: str | None

    @property
    def full_key(self) -> str:
        """All token keys of both names, sorted: equal for swapped given/family names."""
        return " ".join(sorted(f"{self.given_key or ''} {self.family_key or ''}".split()))


def _keys(latin: str, own_script: str) -> str | None:
    keys = names.token_keys(latin) or names.token_keys(own_script)
    return " ".join(sorted(set(keys))) or None


def _latin(latin: str, own_script: str) -> str | None:
    words = names.latin_words(latin) or names.latin_words(own_script)
    return " ".join(words) or None


def _text(value: Any) -> str | None:
    value = str(value or "").strip().lower()
    return value or None


# The derived name columns of one name field: (sorted token keys, Latin words).
_NameForms = tuple[str | None, str | None]


def _name_forms(latin: str, own_script: str) -> _NameForms:
    return _keys(latin, own_script), _latin(latin, own_script)


def record_from_row(row: Mapping[str, Any], memo: dict[tuple[str, str], _NameForms] | None = None) -> Record:
    """The comparable form of a participant (a model instance's fields or a values() row).

    `memo` (used by `records_from_rows`) keeps the name forms already computed, by the
    name's text: names repeat massively, and the phonetic keys are the costly part."""
    month, day = row.get("birth_month"), row.get("birth_day")
    if row.get("birth_date_is_placeholder") or (month == 1 and day == 1):
        month, day = None, None
    gender = row.get("gender") or ""
    given = (row.get("given_names") or "", row.get("given_names_own_script") or "")
    family = (row.get("family_name") or "", row.get("family_name_own_script") or "")
    if memo is None:
        given_key, given_latin = _name_forms(*given)
        family_key, family_latin = _name_forms(*family)
    else:
        if (given_forms := memo.get(given)) is None:
            given_forms = memo[given] = _name_forms(*given)
        if (family_forms := memo.get(family)) is None:
            family_forms = memo[family] = _name_forms(*family)
        given_key, given_latin = given_forms
        family_key, family_latin = family_forms
    return Record(
        pk=row.get("pk"),
        organisation_id=row.get("organisation_id"),
        given_key=given_key,
        family_key=family_key,
        given_latin=given_latin,
        family_latin=family_latin,
        birth_year=row.get("birth_year"),
        birth_month=month,
        birth_day=day if month is not None else None,
        sex=None if gender in ("", "not_stated") else gender,
        country_of_birth=_text(row.get("country_of_birth")),
        nationality=_text(row.get("nationality")),
        postcode=_text(row.get("postcode")),
        town=_text(row.get("town")),
    )


def record_of(participant: Any) -> Record:
    """The comparable form of a Participant instance (saved or not)."""
    row = {field: getattr(participant, field, None) for field in SOURCE_FIELDS}
    return record_from_row(row)


def records_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Record]:
    """The comparable form of many rows, each distinct name text keyed once (a bulk
    run's memo, dropped with it: no names stay in the process afterwards)."""
    memo: dict[tuple[str, str], _NameForms] = {}
    return [record_from_row(row, memo) for row in rows]
