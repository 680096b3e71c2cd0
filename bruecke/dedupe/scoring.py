"""Fellegi–Sunter scoring of a pair of registrations with trained parameters.

The match weight is log2 of the prior odds plus, for every comparison, log2(m/u) of the
pair's level; an exact name level is term-frequency adjusted (agreeing on a common name
is weaker evidence), as Splink does: log2(u / tf) with tf the larger of the two values'
frequencies. Training (`bruecke.dedupe.training`) fills the parameters; until a network
has trained its own, `default_parameters()` is used.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from bruecke.dedupe.comparisons import COMPARISON_BY_NAME, COMPARISONS, Level
from bruecke.dedupe.records import Record

# Term frequencies: column -> value -> share of registrations with that value.
TermFrequencies = Mapping[str, Mapping[str, float]]


@dataclass(frozen=True)
class LevelParameters:
    m: float
    u: float

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


@dataclass(frozen=True)
class Parameters:
    prior: float  # probability that two random registrations are the same person
    levels: dict[str, dict[str, LevelParameters]]  # comparison -> level id -> m, u
    threshold_weight: float

    def to_json(self) -> dict[str, Any]:
        return {
            "prior": self.prior,
            "threshold_weight": self.threshold_weight,
            "levels": {
                comparison: {level: {"m": p.m, "u": p.u} for level, p in levels.items()}
                for comparison, levels in self.levels.items()
            },
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Parameters:
        return cls(
            prior=float(data["prior"]),
            threshold_weight=float(data["threshold_weight"]),
            levels={
                comparison: {
                    level: LevelParameters(float(p["m"]), float(p["u"])) for level, p in levels.items()
                }
                for comparison, levels in data["levels"].items()
            },
        )


@dataclass(frozen=True)
class FieldEvidence:
    comparison: str
    level: str
    weight: float  # > 0 speaks for the same person, < 0 against, 0 no evidence

    @property
    def label(self) -> str:
        return str(COMPARISON_BY_NAME[self.comparison].label)

    @property
    def level_label(self) -> str:
        for level in COMPARISON_BY_NAME[self.comparison].levels:
            if level.id == self.level:
                return str(level.label)
        return self.level

    def to_json(self) -> dict[str, Any]:
        return {"comparison": self.comparison, "level": self.level, "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class Score:
    weight: float
    evidence: list[FieldEvidence] = field(default_factory=list)

    @property
    def probability(self) -> float:
        return probability(self.weight)

    @property
    def vetoed(self) -> bool:
        return vetoed(self.evidence)


# Given names that differ entirely (not swapped, no shared part, not similar) veto a pair
# whatever the other fields say: siblings and twins share family name, birth date and
# address, and the model's independence assumption counts each of those as evidence
# (decision 0061). A person registered under another given name is found by the search.
VETO: Final = ("given_name", "else")


def vetoed(evidence: Sequence[FieldEvidence]) -> bool:
    return any((e.comparison, e.level) == VETO for e in evidence)


def vetoed_pair(left: Record, right: Record) -> bool:
    return COMPARISON_BY_NAME[VETO[0]].level_of(left, right).id == VETO[1]


def probability(weight: float) -> float:
    odds = 2.0 ** max(min(weight, 60.0), -60.0)
    return odds / (1.0 + odds)


def prior_weight(prior: float) -> float:
    return math.log2(prior / (1.0 - prior))


def _level_weight(
    params: Parameters, comparison: str, level: Level, left: Record, right: Record, tf: TermFrequencies
) -> float:
    if level.is_null:
        return 0.0
    p = params.levels[comparison][level.id]
    weight = p.weight
    if level.tf_column and tf:
        frequencies = tf.get(level.tf_column, {})
        values = [getattr(left, level.tf_column), getattr(right, level.tf_column)]
        found = [frequencies[v] for v in values if v in frequencies]
        if found:
            weight += math.log2(p.u / max(found))
    return weight


def score(params: Parameters, left: Record, right: Record, tf: TermFrequencies | None = None) -> Score:
    total = prior_weight(params.prior)
    evidence = []
    for comparison in COMPARISONS:
        level = comparison.level_of(left, right)
        weight = _level_weight(params, comparison.name, level, left, right, tf or {})
        total += weight
        evidence.append(FieldEvidence(comparison.name, level.id, weight))
    return Score(weight=total, evidence=evidence)


# Until a network has trained its own model: the parameters Splink trained on the
# synthetic benchmark data (`bench/dedupe_data.py`, 10,000 registrations, seed 19; see
# docs/benchmarks.md). m: share among true duplicates, u: among different people (for
# sex, country of birth and nationality among people sharing a given name, see
# `training.conditional_u`).
_DEFAULT_LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "given_name": {
        "same": (0.7303, 0.02021),
        "swapped": (0.06358, 0.004782),
        "similar": (0.05582, 0.001937),
        "shared_part": (0.04269, 0.01007),
        "close": (0.03456, 0.01018),
        "else": (0.07308, 0.9528),
    },
    "family_name": {
        "same": (0.8338, 0.002627),
        "swapped": (0.06358, 0.005248),
        "similar": (0.04968, 0.0006749),
        "shared_part": (0.01126, 0.00133),
        "close": (0.02521, 0.005516),
        "else": (0.01643, 0.9846),
    },
    "birth_date": {
        "same": (0.6339, 0.0001286),
        "same_month": (0.03443, 0.0008607),
        "year_partial": (0.289, 0.008793),
        "year": (0.01508, 0.01039),
        "near": (0.02115, 0.03886),
        "else": (0.006428, 0.941),
    },
    "sex": {"same": (0.9751, 0.9981), "else": (0.02493, 0.5025)},
    "country_of_birth": {"same": (0.995, 0.5235), "else": (0.005, 0.7625)},
    "nationality": {"same": (0.995, 0.4943), "else": (0.005, 0.7658)},
    "place": {
        "same_postcode": (0.6549, 0.05709),
        "same_town": (0.1228, 0.06317),
        "else": (0.2223, 0.8797),
    },
}
DEFAULT_PRIOR = 9.271e-05
# The threshold calibrated on that data (`training.calibrate_threshold`). On other
# generated data (seed 23) and without term frequencies (none before training) it gives
# precision 0.95 at recall 0.95 (docs/benchmarks.md).
DEFAULT_THRESHOLD_WEIGHT = 1.8


def default_parameters() -> Parameters:
    return Parameters(
        prior=DEFAULT_PRIOR,
        threshold_weight=DEFAULT_THRESHOLD_WEIGHT,
        levels={
            comparison: {level: LevelParameters(m, u) for level, (m, u) in levels.items()}
            for comparison, levels in _DEFAULT_LEVELS.items()
        },
    )
