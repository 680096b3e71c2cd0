"""From the raw rows of any file to a table: the header row found below title lines and
group headers, empty rows and columns dropped, cells trimmed, and the header checked
(duplicate names, columns with data but no name). Shared by the CSV and XLSX readers."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

Cell = str | int | float | Decimal | datetime.date | datetime.datetime | None

# Excel itself holds at most 32,767 characters in a cell; longer cells are refused.
MAX_CELL_CHARS = 32_767
# This many empty rows in a row end the table (a sheet "used" down to row 1,048,576).
EMPTY_RUN_END = 1_000
# The header row is looked for among this many first non-empty rows.
HEADER_SEARCH_ROWS = 20

# (row number in the file, the row's cells as read)
RawRows = Callable[[int], Iterator[tuple[int, Sequence[Any]]]]


class UnreadableFile(Exception):
    """The file cannot be read; `message` is for the user (in their language)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class SourceTable:
    """Header names (as written, stripped) and a function that streams the data rows as
    (row number in the file, cells), one cell per header; every call starts again.

    A row that turns out to be unreadable while streaming (a cell longer than Excel allows,
    data in a column without a name) raises UnreadableFile naming its row and column."""

    headers: list[str]
    rows: Callable[[], Iterator[tuple[int, list[Cell]]]]
    sheet: str = ""


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 27 → AB)."""
    return get_column_letter(index + 1)


def clean(cell: Any) -> Cell:
    """A cell trimmed; empty text is None, so "" and an empty cell are alike."""
    if isinstance(cell, str):
        return cell.strip() or None
    if isinstance(cell, datetime.time | datetime.timedelta):
        return str(cell)
    return cell


def _check_length(number: int, row: list[Cell]) -> None:
    for index, cell in enumerate(row):
        if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
            raise UnreadableFile(
                _("Row %(row)s, column %(column)s: the cell has more than %(max)s characters.")
                % {
                    "row": number,
                    "column": column_letter(index),
                    "max": number_format(MAX_CELL_CHARS, force_grouping=True),
                }
            )


def non_empty_rows(raw: Iterator[tuple[int, Sequence[Any]]]) -> Iterator[tuple[int, list[Cell]]]:
    """The non-empty rows, cleaned, without trailing empty cells; the table ends after
    EMPTY_RUN_END empty rows in a row."""
    empty_run = 0
    for number, cells in raw:
        row = [clean(cell) for cell in cells]
        while row and row[-1] is None:
            row.pop()
        if not row:
            empty_run += 1
            if empty_run >= EMPTY_RUN_END:
                return
            continue
        empty_run = 0
        _check_length(number, row)
        yield number, row


def _filled(row: list[Cell]) -> int:
    return sum(cell is not None for cell in row)


def find_header(sample: list[tuple[int, list[Cell]]]) -> int:
    """The position of the header row in the sample: the first row that fills more than
    half of the widest row's cells. A title line (one cell) or a merged group header (one
    name over two or more columns) fills at most half and is skipped."""
    widest = max(_filled(row) for _, row in sample)
    for position, (_number, row) in enumerate(sample):
        filled = _filled(row)
        if 2 * filled > widest and (filled >= 2 or widest == 1):
            return position
    return 0


def header_name(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime | datetime.date):
        return cell.strftime("%d.%m.%Y")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _fold(name: str) -> str:
    return " ".join(name.split()).casefold()


def check_duplicates(headers: list[str]) -> None:
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(headers):
        if name:
            columns.setdefault(_fold(name), []).append(index)
    repeated = [
        "„{}“ ({})".format(headers[indexes[0]], ", ".join(column_letter(i) for i in indexes))
        for indexes in columns.values()
        if len(indexes) > 1
    ]
    if repeated:
        raise UnreadableFile(
            _("These header names appear more than once: %(names)s. Each column needs its own name.")
            % {"names": "; ".join(repeated)}
        )


def unnamed_columns(headers: list[str], row: list[Cell]) -> list[int]:
    """Columns of the row that hold data but have no name in the header row."""
    return [
        index
        for index, cell in enumerate(row)
        if cell is not None and (index >= len(headers) or not headers[index])
    ]


def unnamed_error(header_row: int, indexes: list[int]) -> UnreadableFile:
    return UnreadableFile(
        _(
            "These columns have data but no name in the header row (row %(row)s): %(columns)s. "
            "Please name or delete them."
        )
        % {"row": header_row, "columns": ", ".join(column_letter(i) for i in sorted(set(indexes)))}
    )


def build_table(raw: RawRows, *, sheet: str = "") -> SourceTable:
    """Reads the first rows to find and check the header, and returns the table whose
    rows() streams everything below it."""
    stream = non_empty_rows(raw(1))
    sample: list[tuple[int, list[Cell]]] = []
    for item in stream:
        sample.append(item)
        if len(sample) >= HEADER_SEARCH_ROWS:
            break
    if not sample:
        if sheet:
            raise UnreadableFile(_("The worksheet “%(sheet)s” contains no rows.") % {"sheet": sheet})
        raise UnreadableFile(_("The file contains no rows."))
    position = find_header(sample)
    header_row, header_cells = sample[position]
    headers = [header_name(cell) for cell in header_cells]
    check_duplicates(headers)
    data_sample = sample[position + 1 :]
    if not data_sample:
        data_sample = [next(stream, (0, []))]
        if not data_sample[0][1]:
            raise UnreadableFile(_("The file contains a header row but no data rows."))
    unnamed = [index for _number, row in data_sample for index in unnamed_columns(headers, row)]
    if unnamed:
        raise unnamed_error(header_row, unnamed)

    def rows() -> Iterator[tuple[int, list[Cell]]]:
        width = len(headers)
        for number, row in non_empty_rows(raw(header_row + 1)):
            if number <= header_row:
                continue
            unnamed = unnamed_columns(headers, row)
            if unnamed:
                raise unnamed_error(header_row, unnamed)
            yield number, [*row, *[None] * (width - len(row))][:width]

    return SourceTable(headers, rows, sheet)
