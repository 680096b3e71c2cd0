"""CSV: UTF-8 with a byte-order mark (so Excel detects the encoding), `;` by default
(German Excel splits on it) or `,`. Each table is a block: title line, header, rows,
notes, blank line."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import IO

from django.utils import formats

from bruecke.reporting.exporting.neutralise import neutralise
from bruecke.reporting.tables import Cell, Table

DELIMITERS = (";", ",")
BOM = "\ufeff"


def csv_value(value: Cell | bool, delimiter: str) -> str:
    """One cell as CSV text: dates ISO (unambiguous for every program), numbers with the
    decimal separator that does not clash with the delimiter, text neutralised."""
    value = neutralise(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, (float, Decimal)):
        text = formats.number_format(value, use_l10n=False)
        return text.replace(".", ",") if delimiter == ";" else text
    return str(value)


def _table_lines(table: Table, delimiter: str) -> Iterator[list[str]]:
    yield [csv_value(table.title, delimiter)]
    yield [csv_value(column, delimiter) for column in table.columns]
    for row in table.rows:
        yield [csv_value(cell, delimiter) for cell in row]
    for note in table.notes:
        yield [csv_value(note, delimiter)]
    yield []


def write_rows(handle: IO[str], rows: Iterable[Iterable[Cell | bool]], delimiter: str) -> None:
    """Writes plain rows (the funder file's CSV) to a text handle; the caller wrote the BOM."""
    writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_value(cell, delimiter) for cell in row])


def tables_csv(tables: Iterable[Table], delimiter: str = ";") -> bytes:
    if delimiter not in DELIMITERS:
        raise ValueError(f"unsupported delimiter {delimiter!r}")
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for table in tables:
        writer.writerows(_table_lines(table, delimiter))
    return buffer.getvalue().encode("utf-8")
