"""Writing a list's rows into a CSV or XLSX file, row by row (a list of a million rows
never sits in memory). Cells follow the report exports' rules: text that a spreadsheet
could read as a formula is neutralised, CSV is UTF-8 with a byte-order mark and `;`."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Callable, Iterable
from typing import IO

from openpyxl import Workbook

from bruecke.reporting.exporting import csv_format, xlsx_format
from bruecke.reporting.tables import Cell

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DELIMITER = ";"

Row = list[Cell | bool]
Counted = Callable[[int], None]


def write_csv(handle: IO[bytes], header: list[str], rows: Iterable[Row], counted: Counted) -> int:
    handle.write(codecs.BOM_UTF8)
    text = codecs.getwriter("utf-8")(handle)
    writer = csv.writer(text, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_format.csv_value(label, DELIMITER) for label in header])
    done = 0
    for row in rows:
        writer.writerow([csv_format.csv_value(cell, DELIMITER) for cell in row])
        done += 1
        counted(done)
    return done


def write_xlsx(
    handle: IO[bytes], sheet_title: str, header: list[str], rows: Iterable[Row], counted: Counted
) -> int:
    """openpyxl's write-only workbook keeps each written row in a temporary file, not as
    cell objects, and zips them when saved."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=xlsx_format.sheet_names([sheet_title])[0])
    xlsx_format.append_row(sheet, header)
    done = 0
    for row in rows:
        xlsx_format.append_row(sheet, row)
        done += 1
        counted(done)
    workbook.save(handle)
    return done
