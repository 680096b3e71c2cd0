"""Benchmark: reading a spreadsheet (no database) — rows per second of read_table plus one
full pass of rows(), for a CSV and an XLSX file of the same participant-like rows.

Usage:

    .venv/bin/python bench/spreadsheet_read.py --rows 100000

The XLSX file is written by openpyxl (inline strings, dates as date cells), the CSV file as
German Excel saves it (`;`, UTF-8 with BOM, DD.MM.YYYY). Peak memory of the pass is traced.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = [
    "Nr.",
    "Familienname",
    "Vorname",
    "Geburtsdatum",
    "Geschlecht",
    "Staatsangehörigkeit",
    "Telefon",
    "Stunden",
]


def _row(n: int) -> list[object]:
    born = datetime.date(1970, 1, 1) + datetime.timedelta(days=n % 15_000)
    return [n, f"Müller-{n % 997}", f"Anna {n % 331}", born, "weiblich", "syrisch", f"+49 381 {n:07d}", 12.5]


def make_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    for n in range(rows):
        cells = _row(n)
        cells[3] = cells[3].strftime("%d.%m.%Y")  # type: ignore[attr-defined]
        cells[7] = "12,5"
        writer.writerow(cells)
    return buffer.getvalue().encode("utf-8-sig")


def make_xlsx(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Teilnehmende")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append(_row(n))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(data: bytes, rows: int) -> bytes:
    """The workbook with the used range declared up front, as Excel and LibreOffice write
    it (openpyxl's streaming writer cannot know it in advance and leaves it out)."""
    import zipfile

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                # <dimension> follows <sheetPr> (or opens the worksheet).
                anchor = b"</sheetPr>" if b"</sheetPr>" in content else b">"
                at = content.index(anchor) + len(anchor)
                content = content[:at] + f'<dimension ref="A1:H{rows + 1}"/>'.encode() + content[at:]
            target.writestr(info.filename, content)
    return out.getvalue()


def measure(data: bytes, filename: str) -> None:
    from bruecke.spreadsheets.reading import read_table

    started = time.perf_counter()
    table = read_table(data, filename)
    opened = time.perf_counter() - started
    started = time.perf_counter()
    count = sum(1 for _ in table.rows())
    elapsed = time.perf_counter() - started
    tracemalloc.start()  # a second pass, traced (tracing slows it down)
    sum(1 for _ in table.rows())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"{filename.upper():5}  {len(data) / 1e6:6.1f} MB  {count:8d} rows  open {opened:5.2f} s  "
        f"pass {elapsed:6.2f} s  {count / elapsed:8.0f} rows/s  peak {peak / 1e6:5.1f} MB (traced)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bruecke.settings")
    import django

    django.setup()
    measure(make_csv(args.rows), "a.csv")
    workbook = make_xlsx(args.rows)
    measure(workbook, "a.xlsx")
    measure(with_dimension(workbook, args.rows), "b.xlsx")


if __name__ == "__main__":
    main()
