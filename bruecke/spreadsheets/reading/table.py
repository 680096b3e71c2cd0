"""The table a file is read into. A minimal reader (UTF-8 CSV, plain XLSX) until the
hardened readers land."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None


class UnreadableFile(Exception):
    """The file cannot be read; `message` is for the user (in their language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SourceTable:
    """Header names (as written, stripped) and a function that streams the data rows as
    (row number in the file, cells), one cell per header; every call starts again."""

    headers: list[str]
    rows: Callable[[], Iterator[tuple[int, list[Cell]]]]
    sheet: str = ""


def read_table(data: bytes, filename: str, *, sheet: str = "") -> SourceTable:
    if filename.lower().endswith(".xlsx"):
        return _xlsx(data, sheet)
    if filename.lower().endswith((".csv", ".txt")):
        return _csv(data)
    raise UnreadableFile(_("Please upload an XLSX or CSV file."))


def _csv(data: bytes) -> SourceTable:
    text = data.decode("utf-8-sig")
    delimiter = ";" if text.split("\n", 1)[0].count(";") >= text.split("\n", 1)[0].count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    headers = [h.strip() for h in lines[0]] if lines else []

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, line in enumerate(lines[1:], start=2):
            cells: list[Cell] = [*line, *[""] * (len(headers) - len(line))]
            yield number, cells[: len(headers)]

    return SourceTable(headers, rows)


def _xlsx(data: bytes, sheet: str) -> SourceTable:
    from openpyxl import load_workbook

    def open_sheet() -> Any:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        return book[sheet] if sheet else book.worksheets[0]

    first = next(open_sheet().iter_rows(values_only=True), ())
    headers = [str(h).strip() if h is not None else "" for h in first]

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        for number, line in enumerate(open_sheet().iter_rows(min_row=2, values_only=True), start=2):
            cells = list(line)[: len(headers)]
            yield number, [*cells, *[None] * (len(headers) - len(cells))]

    return SourceTable(headers, rows, sheet)
