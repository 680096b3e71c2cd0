"""A report as plain tables: what every export format (CSV, XLSX, PDF) writes.

Each report builds its tables once (`registry.py`); the page shows them, the exports write
them. Cells are plain values (str, int, float, Decimal, date, None), never markup.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

Cell = str | int | float | Decimal | datetime.date | None


@dataclass(frozen=True)
class Table:
    """One table of a report: a title, column headings, rows and notes below it."""

    title: str
    columns: list[str]
    rows: list[list[Cell]]
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.title!r}: a row has {len(row)} cells, {len(self.columns)} columns"
                )
