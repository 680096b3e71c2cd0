"""The model in use for a network: its newest active trained parameters, or the defaults."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bruecke.dedupe.models import ModelParameters, TermFrequency
from bruecke.dedupe.records import Record
from bruecke.dedupe.scoring import Parameters, TermFrequencies, default_parameters

TF_COLUMNS = ("given_key", "family_key")


@dataclass(frozen=True)
class ActiveModel:
    parameters: Parameters
    row_id: int | None  # None: the built-in defaults

    @property
    def threshold_weight(self) -> float:
        return self.parameters.threshold_weight

    def term_frequencies(self, records: Iterable[Record]) -> TermFrequencies:
        """The frequencies of the name keys of `records` (one query), for scoring them."""
        if self.row_id is None:
            return {}
        wanted = {
            column: {v for r in records if (v := getattr(r, column)) is not None} for column in TF_COLUMNS
        }
        values = set().union(*wanted.values())
        if not values:
            return {}
        found: dict[str, dict[str, float]] = {column: {} for column in TF_COLUMNS}
        rows = TermFrequency.objects.filter(parameters_id=self.row_id, value__in=sorted(values))
        for column, value, proportion in rows.values_list("column", "value", "proportion"):
            if column in found:
                found[column][value] = proportion
        return found


def active_model(network_id: int | None) -> ActiveModel:
    row = (
        ModelParameters.objects.filter(network_id=network_id, is_active=True)
        .order_by("-created_at", "-id")
        .first()
        if network_id is not None
        else None
    )
    if row is None:
        return ActiveModel(default_parameters(), None)
    return ActiveModel(Parameters.from_json(row.parameters), row.pk)
