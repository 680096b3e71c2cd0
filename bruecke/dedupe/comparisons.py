"""The comparisons of the duplicate model: one per field, each a list of levels.

Every level is written twice, as a Python predicate (intake, review) and as a DuckDB SQL
condition on `<column>_l` / `<column>_r` (training and batch search with Splink); the
first level whose condition holds is the pair's level. Tests keep the two in step.
Levels are ordered from strongest agreement to disagreement; the "null" level (a value
missing on either side) carries no evidence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rapidfuzz.distance import JaroWinkler

from bruecke.dedupe.records import Record

Predicate = Callable[[Record, Record], bool]


@dataclass(frozen=True)
class Level:
    id: str
    sql: str
    test: Predicate
    label: Promise  # evidence in words, e.g. "same name in another spelling"
    is_null: bool = False
    tf_column: str = ""  # term-frequency adjusted on this column (exact levels)


@dataclass(frozen=True)
class Comparison:
    name: str
    label: Promise
    columns: tuple[str, ...]
    levels: tuple[Level, ...] = field(default_factory=tuple)

    def level_of(self, left: Record, right: Record) -> Level:
        for level in self.levels:
            if level.test(left, right):
                return level
        return self.levels[-1]


def jaro_winkler(a: str | None, b: str | None) -> float:
    if not a or not b:
        return 0.0
    return float(JaroWinkler.similarity(a, b))


def _shares_token(a: str | None, b: str | None) -> bool:
    return bool(a and b and set(a.split()) & set(b.split()))


def _name_comparison(name: str, label: Promise, own: str, other: str) -> Comparison:
    """Given or family name: same keys, swapped with the other name, one shared part,
    similar spelling, different."""
    key, latin, other_key = f"{own}_key", f"{own}_latin", f"{other}_key"

    def get(record: Record, column: str) -> str | None:
        value: str | None = getattr(record, column)
        return value

    return Comparison(
        name=name,
        label=label,
        columns=(key, latin, other_key),
        levels=(
            Level(
                "null",
                f"{key}_l IS NULL OR {key}_r IS NULL",
                lambda a, b: get(a, key) is None or get(b, key) is None,
                _("missing in one record"),
                is_null=True,
            ),
            Level(
                "same",
                f"{key}_l = {key}_r",
                lambda a, b: get(a, key) == get(b, key),
                _("same name, possibly in another spelling"),
                tf_column=key,
            ),
            Level(
                "swapped",
                f"{key}_l = {other_key}_r OR {other_key}_l = {key}_r",
                lambda a, b: get(a, key) == get(b, other_key) or get(a, other_key) == get(b, key),
                _("given and family name swapped"),
            ),
            Level(
                "similar",
                f"jaro_winkler_similarity({latin}_l, {latin}_r) >= 0.92",
                lambda a, b: jaro_winkler(get(a, latin), get(b, latin)) >= 0.92,
                _("very similar spelling"),
            ),
            Level(
                "shared_part",
                f"list_has_any(str_split({key}_l, ' '), str_split({key}_r, ' '))",
                lambda a, b: _shares_token(get(a, key), get(b, key)),
                _("one part of the name is the same"),
            ),
            Level(
                "close",
                f"jaro_winkler_similarity({latin}_l, {latin}_r) >= 0.80",
                lambda a, b: jaro_winkler(get(a, latin), get(b, latin)) >= 0.80,
                _("similar spelling"),
            ),
            Level("else", "ELSE", lambda a, b: True, _("different")),
        ),
    )


def _exact_comparison(name: str, label: Promise, column: str) -> Comparison:
    def get(record: Record) -> object:
        return getattr(record, column)

    return Comparison(
        name=name,
        label=label,
        columns=(column,),
        levels=(
            Level(
                "null",
                f"{column}_l IS NULL OR {column}_r IS NULL",
                lambda a, b: get(a) is None or get(b) is None,
                _("missing in one record"),
                is_null=True,
            ),
            Level("same", f"{column}_l = {column}_r", lambda a, b: get(a) == get(b), _("same")),
            Level("else", "ELSE", lambda a, b: True, _("different")),
        ),
    )


def _same_year(a: Record, b: Record) -> bool:
    return a.birth_year is not None and a.birth_year == b.birth_year


def _years_apart(a: Record, b: Record) -> int:
    if a.birth_year is None or b.birth_year is None:
        return 9999
    return abs(a.birth_year - b.birth_year)


_BIRTH = Comparison(
    name="birth_date",
    label=_("date of birth"),
    columns=("birth_year", "birth_month", "birth_day"),
    levels=(
        Level(
            "null",
            "birth_year_l IS NULL OR birth_year_r IS NULL",
            lambda a, b: a.birth_year is None or b.birth_year is None,
            _("missing in one record"),
            is_null=True,
        ),
        Level(
            "same",
            "birth_year_l = birth_year_r AND birth_month_l = birth_month_r AND birth_day_l = birth_day_r",
            lambda a, b: (
                _same_year(a, b)
                and a.birth_day is not None
                and (a.birth_month, a.birth_day) == (b.birth_month, b.birth_day)
            ),
            _("same full date"),
        ),
        Level(
            "same_month",
            "birth_year_l = birth_year_r AND birth_month_l = birth_month_r",
            lambda a, b: _same_year(a, b) and a.birth_month is not None and a.birth_month == b.birth_month,
            _("same month and year"),
        ),
        Level(
            "year_partial",
            "birth_year_l = birth_year_r AND (birth_month_l IS NULL OR birth_month_r IS NULL)",
            lambda a, b: _same_year(a, b) and (a.birth_month is None or b.birth_month is None),
            _("same year, day and month unknown in one record"),
        ),
        Level(
            "year",
            "birth_year_l = birth_year_r",
            _same_year,
            _("same year, different day or month"),
        ),
        Level(
            "near",
            "abs(birth_year_l - birth_year_r) <= 1",
            lambda a, b: (
                a.birth_year is not None
                and b.birth_year is not None
                and abs(a.birth_year - b.birth_year) <= 1
            ),
            _("year differs by one"),
        ),
        Level("else", "ELSE", lambda a, b: True, _("different")),
    ),
)

_PLACE = Comparison(
    name="place",
    label=_("place of residence"),
    columns=("postcode", "town"),
    levels=(
        Level(
            "null",
            "(postcode_l IS NULL OR postcode_r IS NULL) AND (town_l IS NULL OR town_r IS NULL)",
            lambda a, b: (a.postcode is None or b.postcode is None) and (a.town is None or b.town is None),
            _("missing in one record"),
            is_null=True,
        ),
        Level(
            "same_postcode",
            "postcode_l = postcode_r",
            lambda a, b: a.postcode is not None and a.postcode == b.postcode,
            _("same postcode"),
        ),
        Level(
            "same_town",
            "town_l = town_r",
            lambda a, b: a.town is not None and a.town == b.town,
            _("same town"),
        ),
        Level("else", "ELSE", lambda a, b: True, _("different")),
    ),
)

COMPARISONS: tuple[Comparison, ...] = (
    _name_comparison("given_name", _("given names"), "given", "family"),
    _name_comparison("family_name", _("family name"), "family", "given"),
    _BIRTH,
    _exact_comparison("sex", _("gender"), "sex"),
    _exact_comparison("country_of_birth", _("country of birth"), "country_of_birth"),
    _exact_comparison("nationality", _("nationality"), "nationality"),
    _PLACE,
)
COMPARISON_BY_NAME = {comparison.name: comparison for comparison in COMPARISONS}

# Record columns a comparison reads (the frame given to Splink has exactly these).
RECORD_COLUMNS = (
    "given_key",
    "family_key",
    "given_latin",
    "family_latin",
    "birth_year",
    "birth_month",
    "birth_day",
    "sex",
    "country_of_birth",
    "nationality",
    "postcode",
    "town",
)


def levels_of(left: Record, right: Record) -> dict[str, Level]:
    """The level of every comparison for a pair."""
    return {c.name: c.level_of(left, right) for c in COMPARISONS}
