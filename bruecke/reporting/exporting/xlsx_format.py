"""XLSX with openpyxl's write-only workbook (rows are streamed to the file, so a big
report does not sit in memory as cell objects). One sheet per table; dates are real
dates, numbers real numbers, text is always written as a string (never a formula)."""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from bruecke.reporting.exporting.neutralise import neutralise
from bruecke.reporting.tables import Cell, Table

SHEET_NAME_MAX = 31
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "DD.MM.YYYY"


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Valid, unique sheet names: forbidden characters replaced, at most 31 characters,
    not empty, not starting or ending with an apostrophe, a number added on a clash
    (compared without case, as Excel does)."""
    names: list[str] = []
    taken: set[str] = set()
    for position, title in enumerate(titles, start=1):
        base = _FORBIDDEN.sub("-", title).strip().strip("'") or f"Tabelle {position}"
        name = base[:SHEET_NAME_MAX]
        counter = 2
        while name.lower() in taken:
            suffix = f" ({counter})"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            counter += 1
        taken.add(name.lower())
        names.append(name)
    return names


def xlsx_cell(sheet: WriteOnlyWorksheet, value: Cell | bool) -> object:
    value = neutralise(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=value)
        # Always a string: openpyxl would store text beginning with "=" as a formula.
        cell.data_type = "s"
        return cell
    if isinstance(value, datetime.date):
        # openpyxl writes a date as a date; its stubs only name datetime.
        cell = WriteOnlyCell(sheet, value=value)  # type: ignore[arg-type]
        cell.number_format = DATE_FORMAT
        return cell
    return value


def append_row(sheet: WriteOnlyWorksheet, row: Iterable[Cell | bool]) -> None:
    sheet.append([xlsx_cell(sheet, value) for value in row])


def tables_xlsx(tables: list[Table]) -> bytes:
    workbook = Workbook(write_only=True)
    for name, table in zip(sheet_names([t.title for t in tables]), tables, strict=True):
        sheet = workbook.create_sheet(title=name)
        append_row(sheet, [table.title])
        append_row(sheet, table.columns)
        for row in table.rows:
            append_row(sheet, row)
        for note in table.notes:
            append_row(sheet, [note])
    if not tables:
        workbook.create_sheet(title="Bericht")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
