"""Training the duplicate model with Splink (DuckDB, in process), without labels.

Splink is given exactly the comparison levels of `comparisons.COMPARISONS` (their SQL),
so the parameters it estimates mean the same as in `scoring.score`: the prior from
near-certain rules, u by random sampling of pairs, m by expectation maximisation on
two blocking rules (one on the full birth date, which estimates the name levels; one on
both names, which estimates the birth date levels). The threshold is then calibrated on
the pairs the model itself proposes (`calibrate_threshold`). Decision record 0061.
"""

from __future__ import annotations

import contextlib
import logging
import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bruecke.dedupe.comparisons import COMPARISONS, RECORD_COLUMNS
from bruecke.dedupe.records import Record
from bruecke.dedupe.scoring import (
    LevelParameters,
    Parameters,
    TermFrequencies,
    default_parameters,
    probability,
)

TF_COLUMNS = ("given_key", "family_key")
# The model's own estimate of precision at the warning threshold must reach this.
TARGET_PRECISION = 0.99
# Probabilities are kept away from 0 and 1: log2(m/u) stays finite for a level that no
# sampled pair reached. m has a higher floor: in real registrations, a field of the same
# person is sometimes entered wrongly even when no training pair shows it (EM puts
# m(else) of nationality at 0, which would let one typo veto a duplicate).
_FLOOR = 1e-6
_M_FLOOR = 0.005
_INT_COLUMNS = frozenset({"birth_year", "birth_month", "birth_day"})

# Rules that admit almost no different people: the prior is estimated from them.
_DETERMINISTIC_RULES = (
    "l.given_key = r.given_key AND l.family_key = r.family_key AND l.birth_year = r.birth_year"
    " AND l.birth_month = r.birth_month AND l.birth_day = r.birth_day",
)
_DETERMINISTIC_RECALL = 0.6
# EM blocking: each rule leaves out the comparisons whose columns it fixes. Registrations
# with the same name are mostly of the same sex and origin whether or not they are the
# same person, so the name rule fixes those too: otherwise EM takes "same sex and
# nationality" for the mark of a duplicate (conditional independence would not hold).
_EM_RULES = (
    "l.birth_year = r.birth_year AND l.birth_month = r.birth_month AND l.birth_day = r.birth_day",
    "l.given_key = r.given_key AND l.family_key = r.family_key AND coalesce(l.sex = r.sex, true)"
    " AND coalesce(l.country_of_birth = r.country_of_birth, true)"
    " AND coalesce(l.nationality = r.nationality, true)",
)


def splink_settings(params: Parameters | None = None) -> dict[str, Any]:
    """A Splink settings dictionary of our comparisons; with `params`, a trained model."""
    comparisons = []
    for comparison in COMPARISONS:
        levels = []
        for level in comparison.levels:
            entry: dict[str, Any] = {"sql_condition": level.sql, "label_for_charts": level.id}
            if level.is_null:
                entry["is_null_level"] = True
            if level.tf_column:
                entry["tf_adjustment_column"] = level.tf_column
                entry["tf_adjustment_weight"] = 1.0
            if params is not None and not level.is_null:
                p = params.levels[comparison.name][level.id]
                entry["m_probability"] = p.m
                entry["u_probability"] = p.u
            levels.append(entry)
        comparisons.append({"output_column_name": comparison.name, "comparison_levels": levels})
    settings: dict[str, Any] = {
        "link_type": "dedupe_only",
        "unique_id_column_name": "unique_id",
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }
    if params is not None:
        settings["probability_two_random_records_match"] = params.prior
    return settings


def frame(records: Sequence[Record]) -> Any:
    """The records as an Arrow table: `unique_id`, every compared column, `full_key`."""
    import pyarrow as pa  # type: ignore[import-untyped]

    fields = [pa.field("unique_id", pa.int64())]
    fields += [pa.field(c, pa.int64() if c in _INT_COLUMNS else pa.string()) for c in RECORD_COLUMNS]
    fields.append(pa.field("full_key", pa.string()))
    data: dict[str, list[Any]] = {"unique_id": [r.pk for r in records]}
    for column in RECORD_COLUMNS:
        data[column] = [getattr(r, column) for r in records]
    data["full_key"] = [r.full_key or None for r in records]
    return pa.Table.from_pydict(data, schema=pa.schema(fields))


def term_frequencies(records: Sequence[Record]) -> dict[str, dict[str, float]]:
    """Share of the records (with a value) that have each value, as Splink computes it."""
    result: dict[str, dict[str, float]] = {}
    for column in TF_COLUMNS:
        counts = Counter(v for r in records if (v := getattr(r, column)) is not None)
        total = sum(counts.values())
        result[column] = {value: count / total for value, count in counts.items()} if total else {}
    return result


def tf_table(column: str, frequencies: TermFrequencies) -> Any:
    import pyarrow as pa

    values = frequencies.get(column, {})
    return pa.Table.from_pydict(
        {column: list(values), f"tf_{column}": [float(v) for v in values.values()]},
        schema=pa.schema([pa.field(column, pa.string()), pa.field(f"tf_{column}", pa.float64())]),
    )


def linker_for(
    records: Sequence[Record],
    params: Parameters | None = None,
    tf: TermFrequencies | None = None,
    db_api: Any = None,
) -> Any:
    """A Splink linker on an in-memory DuckDB (a fresh one unless given) with the records,
    and the given term frequencies registered so that Splink uses exactly those."""
    from splink import DuckDBAPI, Linker

    db_api = db_api or DuckDBAPI()
    table = db_api.register(frame(records), dataset_display_name="registrations")
    linker = Linker(table, splink_settings(params), log_level=None)
    if tf is not None:
        for column in TF_COLUMNS:
            lookup = db_api.register(tf_table(column, tf), dataset_display_name=f"tf_{column}")
            linker.table_management.register_term_frequency_lookup(lookup, column)
    return linker


@dataclass(frozen=True)
class TrainingResult:
    parameters: Parameters
    term_frequencies: dict[str, dict[str, float]]
    records: int
    estimated_precision: float  # the model's own, at the threshold


def _parameters_of(linker: Any) -> tuple[float, dict[str, dict[str, LevelParameters]]]:
    model = linker.misc.save_model_to_json()
    fallback = default_parameters().levels
    levels: dict[str, dict[str, LevelParameters]] = {}
    for comparison, trained in zip(COMPARISONS, model["comparisons"], strict=True):
        levels[comparison.name] = {}
        for level, values in zip(comparison.levels, trained["comparison_levels"], strict=True):
            if level.is_null:
                continue
            default = fallback[comparison.name][level.id]
            m = values.get("m_probability")
            u = values.get("u_probability")
            levels[comparison.name][level.id] = LevelParameters(
                m=max(_clamp(default.m if m is None or math.isnan(m) else m), _M_FLOOR),
                u=_clamp(default.u if u is None or math.isnan(u) else u),
            )
    return float(model["probability_two_random_records_match"]), levels


def _clamp(value: float) -> float:
    return min(max(float(value), _FLOOR), 1.0 - _FLOOR)


# Comparisons whose agreement follows from the name: people sharing a given name are
# mostly of the same sex and origin whether or not they are the same person.
_ORIGIN_COMPARISONS = ("sex", "country_of_birth", "nationality")


def conditional_u(
    records: Sequence[Record],
    levels: dict[str, dict[str, LevelParameters]],
    *,
    seed: int = 19,
    max_pairs: int = 200_000,
) -> dict[str, dict[str, LevelParameters]]:
    """u of sex, country of birth and nationality among pairs that share a given name but
    not the family name (nearly all different people).

    Random pairs mostly differ in origin, so agreeing on nationality looks like strong
    evidence (+2.3); but the name levels have already counted it, since two people with
    the same name are mostly of the same origin. Fellegi–Sunter assumes the comparisons
    independent given non-match: measuring u where the names agree restores that."""
    from collections import defaultdict

    from bruecke.dedupe.comparisons import COMPARISON_BY_NAME

    groups: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        if record.given_key:
            groups[record.given_key].append(record)
    rng = random.Random(seed)  # noqa: S311 (a sample, not a secret)
    sizes = [(key, len(group) * (len(group) - 1) // 2) for key, group in groups.items() if len(group) > 1]
    total = sum(size for _key, size in sizes)
    counts: dict[str, Counter[str]] = {name: Counter() for name in _ORIGIN_COMPARISONS}
    if not total:
        return {}
    keys = rng.choices([key for key, _size in sizes], [size for _key, size in sizes], k=min(max_pairs, total))
    for key in keys:
        a, b = rng.sample(groups[key], 2)
        if a.family_key == b.family_key:
            continue
        for name in _ORIGIN_COMPARISONS:
            level = COMPARISON_BY_NAME[name].level_of(a, b)
            if not level.is_null:
                counts[name][level.id] += 1
    result = {}
    for name, found in counts.items():
        observed = sum(found.values())
        if observed < 1_000:
            continue  # too few to say better than random sampling did
        # Only agreement is discounted: disagreeing stays as strong as random pairs say
        # (among people sharing a name, a different sex is rare, but it is no evidence
        # of the same person).
        result[name] = dict(levels[name])
        same = levels[name]["same"]
        result[name]["same"] = LevelParameters(m=same.m, u=max(same.u, _clamp(found["same"] / observed)))
    return result


def calibrate_threshold(weights: Sequence[float], target: float = TARGET_PRECISION) -> tuple[float, float]:
    """The lowest weight from which the model's expected precision reaches `target`.

    Among the scored pairs at or above a weight t, the model expects sum(P(match)) true
    duplicates, so its estimate of precision is the mean match probability there. Going
    down the pairs from the strongest, the mean only falls; the threshold is the last
    weight at which it is still >= target. Returns (threshold, estimated precision)."""
    ordered = sorted(weights, reverse=True)
    total = 0.0
    threshold, precision = (ordered[0] if ordered else 0.0), 1.0
    for count, weight in enumerate(ordered, start=1):
        total += probability(weight)
        if total / count < target:
            break
        threshold, precision = weight, total / count
    return threshold, precision


# Splink estimates the prior, u and m on a random sample of at most this many
# registrations (docs/benchmarks.md, "Duplicate detection at 1,000,000 — sampled
# training"): a random sample keeps every pair with the same chance, so the prior (share
# of pairs that are duplicates) and the m and u of each level are estimated without bias;
# 200,000 registrations hold some 25,000 duplicate pairs at the benchmark's rate. At 100,000
# a model trained on a fifth proposes as well as one trained on all; at 1,000,000 some level
# weights differ markedly from the full training's (measured there, an open question).
# The term frequencies are always counted on every registration.
TRAINING_RECORDS = 200_000


def train(
    records: Sequence[Record],
    *,
    seed: int = 19,
    max_pairs: float = 2e6,
    em_max_pairs: float = 5e6,
    training_records: int = TRAINING_RECORDS,
    calibration_records: int = 200_000,
) -> TrainingResult:
    """Trains the model on the records (no labels) and calibrates its threshold.

    Splink sees a random sample of `training_records` registrations (all of them when
    there are fewer); the term frequencies and the conditional u use every record."""
    from splink.internals.exceptions import EMTrainingException

    if training_records < MIN_TRAINING_RECORDS:
        raise ValueError(f"training_records must be at least {MIN_TRAINING_RECORDS}")
    logging.getLogger("splink").setLevel(logging.ERROR)
    trained_on = records
    if len(records) > training_records:
        trained_on = random.Random(seed + 1).sample(list(records), training_records)  # noqa: S311
    linker = linker_for(trained_on, default_parameters())  # EM starts from sensible m values
    linker.training.estimate_probability_two_random_records_match(
        list(_DETERMINISTIC_RULES), recall=_DETERMINISTIC_RECALL
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=max_pairs, seed=seed)
    for rule in _EM_RULES:
        # No pairs under a rule (tiny or sparse data): those m stay as they were.
        with contextlib.suppress(EMTrainingException):
            linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=em_max_pairs)
    prior, levels = _parameters_of(linker)
    levels.update(conditional_u(records, levels, seed=seed))
    untuned = Parameters(prior=prior, levels=levels, threshold_weight=0.0)
    tf = term_frequencies(records)
    from bruecke.dedupe.batch import find_pairs

    # Calibrated on the pairs above "even odds": below, pairs hardly change the mean. A
    # random sample of the records keeps every pair with the same chance, so the mean
    # probability above a weight is estimated without scoring a million records twice.
    sample = records
    if len(records) > calibration_records:
        sample = random.Random(seed).sample(list(records), calibration_records)  # noqa: S311
    pairs = find_pairs(sample, untuned, tf, threshold_weight=0.0)
    threshold, precision = calibrate_threshold([weight for _a, _b, weight in pairs])
    parameters = Parameters(prior=prior, levels=levels, threshold_weight=round(threshold, 3))
    return TrainingResult(parameters, tf, len(records), precision)


def network_records(network_id: int) -> list[Record]:
    """The comparable form of every registration of the network (merged ones left out)."""
    from bruecke.dedupe.records import SOURCE_FIELDS, records_from_rows
    from bruecke.participants.models import Participant

    rows = (
        Participant.objects.filter(organisation__network_id=network_id, merged_into__isnull=True)
        .order_by("pk")
        .values(*SOURCE_FIELDS)
    )
    return records_from_rows(rows.iterator(chunk_size=5000))


# Fewer registrations than this give EM too few duplicates to learn from: the built-in
# parameters stay in use.
MIN_TRAINING_RECORDS = 200


def model_train(network: Any, actor: Any) -> Any:
    """Trains the network's model on its registrations and makes it the active one.

    Returns the new ModelParameters row, or None when the network has too few
    registrations to train on. The previous model is deactivated in the same transaction
    as the new one is stored, with its term frequencies, and audited."""
    from django.db import transaction

    from bruecke.core.audit import audit_record
    from bruecke.core.models import AuditAction
    from bruecke.core.services import model_create
    from bruecke.dedupe.models import ModelParameters, TermFrequency

    records = network_records(network.pk)
    if len(records) < MIN_TRAINING_RECORDS:
        return None
    result = train(records)
    with transaction.atomic():
        previous = list(ModelParameters.objects.select_for_update().filter(network=network, is_active=True))
        for row in previous:
            row.is_active = False
            row.save(update_fields=["is_active"])
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, changed_fields=["is_active"])
        row = model_create(
            actor=actor,
            instance=ModelParameters(
                network=network,
                parameters=result.parameters.to_json(),
                threshold_weight=result.parameters.threshold_weight,
                trained_on_records=result.records,
                trained_by=actor if actor is not None and actor.is_authenticated else None,
            ),
        )
        TermFrequency.objects.bulk_create(
            (
                TermFrequency(parameters=row, column=column, value=value, proportion=proportion)
                for column, values in result.term_frequencies.items()
                for value, proportion in values.items()
                if len(value) <= 200  # pasted garbage; such a name simply goes unadjusted
            ),
            batch_size=5000,
        )
    return row
