"""Many indicator conditions counted in one grouped aggregate (decision 0049, "speed").

The report used to spend one `COUNT(*) FILTER (...)` per indicator × gender column, each
repeating the completeness test: at 1,000,000 participants that was a minute of
PostgreSQL time. Here the rows are grouped by gender and by completeness (at most eight
groups), so each condition is evaluated once per row, and the columns (women, men,
non-binary, total) are added up in Python from those few group rows. The result has the
keys the engine reads: "<code>__<column>", "<code>__refused", "<code>__unknown", each
extra name, and "_complete" / "_incomplete" (the participations counted / kept out).
"""

from __future__ import annotations

from typing import Any

from django.db.models import BooleanField, Count, ExpressionWrapper, F, Q, QuerySet

from . import BREAKDOWN, TOTAL
from .outputs import Counted
from .participations import GENDER_OF, complete_q


def _count(condition: Q) -> Count:
    # An empty Q means "every row": a plain COUNT, no FILTER clause.
    return Count("pk", filter=condition) if condition else Count("pk")


def _aggregates(items: list[Counted], extra: dict[str, Q]) -> dict[str, Count]:
    aggregates = {"report_rows": Count("pk")}
    for index, item in enumerate(items):
        aggregates[f"report_c{index}"] = _count(item.condition)
        if item.refused is not None:
            aggregates[f"report_r{index}"] = _count(item.refused)
        if item.unknown is not None:
            aggregates[f"report_u{index}"] = _count(item.unknown)
    for index, condition in enumerate(extra.values()):
        aggregates[f"report_x{index}"] = _count(condition)
    return aggregates


def _empty(items: list[Counted], extra: dict[str, Q]) -> dict[str, int]:
    totals = {"_complete": 0, "_incomplete": 0} | dict.fromkeys(extra, 0)
    for item in items:
        totals |= {f"{item.code}__{key}": 0 for key in BREAKDOWN}
        if item.refused is not None:
            totals[f"{item.code}__refused"] = 0
        if item.unknown is not None:
            totals[f"{item.code}__unknown"] = 0
    return totals


def _fold(totals: dict[str, int], row: dict[str, Any], items: list[Counted], extra: dict[str, Q]) -> None:
    column = GENDER_OF.get(row["report_gender"])
    complete = bool(row["report_complete"])
    totals["_complete" if complete else "_incomplete"] += row["report_rows"]
    for index, item in enumerate(items):
        if complete or item.with_incomplete:
            totals[f"{item.code}__{TOTAL}"] += row[f"report_c{index}"]
            if column:
                totals[f"{item.code}__{column}"] += row[f"report_c{index}"]
        if complete and item.refused is not None:
            totals[f"{item.code}__refused"] += row[f"report_r{index}"]
        if complete and item.unknown is not None:
            totals[f"{item.code}__unknown"] += row[f"report_u{index}"]
    if complete:
        for index, name in enumerate(extra):
            totals[name] += row[f"report_x{index}"]


def grouped_counts(
    rows: QuerySet[Any], items: list[Counted], extra: dict[str, Q], prefix: str = ""
) -> dict[str, int]:
    """Counts every item (and every `extra` condition, complete participations only) over
    `rows` in one query; `prefix` leads from the rows to the participant."""
    # A boolean, not a CASE giving 0/1: PostgreSQL estimates two values for a boolean
    # expression and hashes the few groups; for the CASE it expected a group per row and
    # sorted a million rows to disk (decision 0049).
    complete = ExpressionWrapper(complete_q(prefix), output_field=BooleanField())
    groups = (
        rows.order_by()
        .values(report_gender=F(f"{prefix}gender"), report_complete=complete)
        .annotate(**_aggregates(items, extra))
    )
    totals = _empty(items, extra)
    for row in groups:
        _fold(totals, row, items, extra)
    return totals
