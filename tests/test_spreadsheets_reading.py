"""Reading spreadsheets as German Excel writes them: CSV separators and encodings, XLSX
streamed with real dates and numbers, header rows below titles, and the cell values
(dates, partial dates, numbers, yes/no)."""

from __future__ import annotations

import datetime
import io
import time
import tracemalloc
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.utils import timezone, translation
from openpyxl.worksheet.worksheet import Worksheet

from bruecke.participants.forms import PartialDate
from bruecke.spreadsheets.base import Column
from bruecke.spreadsheets.convert import convert_cell
from bruecke.spreadsheets.reading import Cell, read_table, sheet_names
from bruecke.spreadsheets.reading import values as parse


def rows_of(data: bytes, filename: str) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    table = read_table(data, filename)
    return table.headers, list(table.rows())


def xlsx(*sheets: tuple[str, list[list[Any]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_with_sheet_xml(rows_xml: Any, dimension: str = "A1") -> bytes:
    """A real workbook whose first sheet's rows are the given XML (written streaming), to
    make very large sheets quickly. Like Excel, it declares the used range up front."""
    template = xlsx(("Tabelle1", [["x"]]))
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, source.read(info))
                continue
            with target.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
                sheet.write(f'<dimension ref="{dimension}"/><sheetData>'.encode())
                for chunk in rows_xml:
                    sheet.write(chunk)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


def inline_row(number: int, *texts: str) -> bytes:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for i, text in enumerate(texts)
    )
    return f'<row r="{number}">{cells}</row>'.encode()


# --- CSV ----------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_separator_is_detected_and_quoted_fields_may_contain_the_other(delimiter: str) -> None:
    other = "," if delimiter == ";" else ";"
    text = f'Nr.{delimiter}Name{delimiter}Ort\r\n1{delimiter}"Kurz{other} Anna"{delimiter}Rostock\r\n'
    headers, rows = rows_of(text.encode(), "liste.csv")
    assert headers == ["Nr.", "Name", "Ort"]
    assert rows == [(2, ["1", f"Kurz{other} Anna", "Rostock"])]


def test_semicolon_file_with_decimal_commas_is_not_taken_for_a_comma_file() -> None:
    text = "Name;Stunden;Lohn\nA;12,5;1.234,56\nB;7,25;2.000,00\nC;3;4\n"
    headers, rows = rows_of(text.encode(), "a.csv")
    assert headers == ["Name", "Stunden", "Lohn"]
    assert rows[0][1] == ["A", "12,5", "1.234,56"]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("cp1252", "\r\n"), ("cp1252", "\n")],
)
def test_csv_encodings_and_line_endings(encoding: str, newline: str) -> None:
    text = newline.join(["Name;Straße;Betrag", "Jürgen Öztürk;Große Ä-Gasse;5 €", ""])
    headers, rows = rows_of(text.encode(encoding), "a.csv")
    assert headers == ["Name", "Straße", "Betrag"]
    assert rows == [(2, ["Jürgen Öztürk", "Große Ä-Gasse", "5 €"])]


def test_a_quoted_line_break_stays_in_its_cell_and_row_numbers_count_records() -> None:
    text = 'Name;Notiz\nA;"zwei\nZeilen"\nB;x\n'
    _headers, rows = rows_of(text.encode(), "a.csv")
    assert rows == [(2, ["A", "zwei\nZeilen"]), (3, ["B", "x"])]


def test_csv_spaces_trimmed_empty_cells_are_none_trailing_columns_and_rows_ignored() -> None:
    text = "Name ; Ort ;;;\n  Anna  ;;;;\n;;;;\n Ben ; Wismar;;;\n;;;;\n;;;;\n"
    headers, rows = rows_of(text.encode(), "a.csv")
    assert headers == ["Name", "Ort"]
    assert rows == [(2, ["Anna", None]), (4, ["Ben", "Wismar"])]


def test_title_line_above_the_header_is_skipped() -> None:
    text = "Teilnehmende Projekt Brücke 2023;;;\n;;;\nNr.;Name;Vorname;Ort\n1;Kurz;Anna;Rostock\n"
    headers, rows = rows_of(text.encode(), "a.csv")
    assert headers == ["Nr.", "Name", "Vorname", "Ort"]
    assert rows == [(4, ["1", "Kurz", "Anna", "Rostock"])]


def test_a_million_empty_csv_rows_end_the_table_quickly() -> None:
    data = b"Name;Ort\nAnna;Rostock\n" + b";\r\n" * 1_000_000 + b"Spaet;Wismar\n"
    _headers, rows = rows_of(data, "a.csv")
    assert rows == [(2, ["Anna", "Rostock"])]


# --- XLSX ---------------------------------------------------------------------------------


def test_xlsx_gives_dates_as_dates_and_numbers_as_numbers() -> None:
    data = xlsx(
        (
            "Teilnehmende",
            [
                ["Nr.", "Geburtsdatum", "Stunden", "Telefon"],
                [7, datetime.date(1994, 3, 7), 12.5, "+49 381 123"],
            ],
        )
    )
    headers, rows = rows_of(data, "liste.xlsx")
    assert headers == ["Nr.", "Geburtsdatum", "Stunden", "Telefon"]
    number, cells = rows[0]
    assert number == 2
    assert cells[0] == 7
    assert cells[1] == datetime.datetime(1994, 3, 7)
    assert cells[2] == 12.5
    assert cells[3] == "+49 381 123"


def test_xlsx_formulas_give_their_cached_value_not_the_formula() -> None:
    data = xlsx_with_sheet_xml(
        [
            inline_row(1, "Name", "Summe"),
            b'<row r="2"><c r="A2" t="inlineStr"><is><t>A</t></is></c><c r="B2"><f>1+2</f><v>3</v></c></row>',
        ]
    )
    _headers, rows = rows_of(data, "a.xlsx")
    assert rows == [(2, ["A", 3])]


def test_xlsx_title_and_merged_group_header_are_skipped() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    sheet.append(["Teilnehmende 2023"])
    sheet.merge_cells("A1:D1")
    sheet.append(["Person", None, "Kontakt", None])
    sheet.merge_cells("A2:B2")
    sheet.merge_cells("C2:D2")
    sheet.append(["Name", "Vorname", "Telefon", "E-Mail"])
    sheet.append(["Kurz", "Anna", None, "a@example.org"])
    sheet["F10"] = "   "  # a "used" but empty cell far out
    buffer = io.BytesIO()
    book.save(buffer)
    headers, rows = rows_of(buffer.getvalue(), "a.xlsx")
    assert headers == ["Name", "Vorname", "Telefon", "E-Mail"]
    assert rows == [(4, ["Kurz", "Anna", None, "a@example.org"])]


def test_xlsx_row_numbers_are_the_sheet_rows_across_gaps() -> None:
    data = xlsx_with_sheet_xml([inline_row(1, "Name"), inline_row(2, "A"), inline_row(9, "B")])
    assert rows_of(data, "a.xlsx")[1] == [(2, ["A"]), (9, ["B"])]


def test_xlsx_sheet_is_chosen_by_name_and_names_are_listed() -> None:
    data = xlsx(("Info", [["Hinweis"]]), ("Daten", [["Name"], ["Anna"]]))
    assert sheet_names(data, "a.xlsx") == ["Info", "Daten"]
    table = read_table(data, "a.xlsx", sheet="Daten")
    assert (table.headers, list(table.rows()), table.sheet) == (["Name"], [(2, ["Anna"])], "Daten")
    assert sheet_names(b"Name\nAnna\n", "a.csv") == []


def test_rows_can_be_streamed_again() -> None:
    for data, name in ((xlsx(("T", [["Name"], ["A"], ["B"]])), "a.xlsx"), (b"Name\nA\nB\n", "a.csv")):
        table = read_table(data, name)
        assert list(table.rows()) == list(table.rows()) == [(2, ["A"]), (3, ["B"])]


def test_a_million_empty_xlsx_rows_end_the_table_quickly() -> None:
    def rows() -> Any:
        yield inline_row(1, "Name") + inline_row(2, "Anna")
        # Formatted but empty cells: what Excel writes for a sheet "used" to its last row.
        for start in range(3, 1_000_003, 10_000):
            yield b"".join(
                b'<row r="%d"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (n, n, n)
                for n in range(start, start + 10_000)
            )
        yield inline_row(1_000_003, "Spaet")

    started = time.monotonic()
    headers, data_rows = rows_of(xlsx_with_sheet_xml(rows(), "A1:B1000003"), "a.xlsx")
    assert (headers, data_rows) == (["Name"], [(2, ["Anna"])])
    assert time.monotonic() - started < 60


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_100000_rows_stream_without_memory_growing_with_the_file(kind: str) -> None:
    count = 100_000
    if kind == "csv":
        data = b"Nr.;Name;Geburtsdatum\n" + b"".join(
            b"%d;Name %d;07.03.1994\n" % (n, n) for n in range(count)
        )
    else:
        data = xlsx_with_sheet_xml(
            [inline_row(1, "Nr.", "Betrag", "Geburtsdatum")]
            + [
                b"".join(
                    b'<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>12.5</v></c>'
                    b'<c r="C%d"><v>34400</v></c></row>' % (n, n, n, n, n)
                    for n in range(start, start + 10_000)
                )
                for start in range(2, count + 2, 10_000)
            ],
            f"A1:C{count + 1}",
        )
    table = read_table(data, f"a.{kind}")
    tracemalloc.start()
    try:
        seen = sum(1 for _ in table.rows())
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    # Holding the rows would take far more than 100 MB; streaming stays small.
    assert peak < 20 * 1024 * 1024, peak


# --- Values -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("07.03.1994", datetime.date(1994, 3, 7)),
        ("7.3.1994", datetime.date(1994, 3, 7)),
        ("1994-03-07", datetime.date(1994, 3, 7)),
        ("1994-03-07 00:00:00", datetime.date(1994, 3, 7)),
        ("07.03.1994 14:30", datetime.date(1994, 3, 7)),
        (datetime.datetime(1994, 3, 7, 10, 5), datetime.date(1994, 3, 7)),
        (datetime.date(1994, 3, 7), datetime.date(1994, 3, 7)),
        (34400, datetime.date(1994, 3, 7)),
        (34400.75, datetime.date(1994, 3, 7)),
        ("34400", datetime.date(1994, 3, 7)),
        (1, datetime.date(1900, 1, 1)),
        (59, datetime.date(1900, 2, 28)),
        (61, datetime.date(1900, 3, 1)),
        (45658, datetime.date(2025, 1, 1)),
    ],
)
def test_dates(cell: Cell, expected: datetime.date) -> None:
    assert parse.parse_date(cell) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.3.94", datetime.date(1994, 3, 7)),
        ("1.1.05", datetime.date(2005, 1, 1)),
        ("7.12.26", datetime.date(2026, 12, 7)),  # today
        ("8.12.26", datetime.date(1926, 12, 8)),  # tomorrow would be in the future
        ("1.1.27", datetime.date(1927, 1, 1)),
        ("29.2.24", datetime.date(2024, 2, 29)),
    ],
)
def test_two_digit_years_are_the_latest_day_not_in_the_future(
    text: str, expected: datetime.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 12, 7))
    assert parse.parse_date(text) == expected


@pytest.mark.parametrize("cell", ["31.02.2024", "29.02.2023", "2024-13-01", "00.01.2024", 60, "29.2.23"])
def test_impossible_dates_are_named(cell: Cell) -> None:
    with translation.override("de"), pytest.raises(ValueError, match="Dieses Datum gibt es nicht"):
        parse.parse_date(cell)


@pytest.mark.parametrize("cell", ["März 1994", "1994", "07/03/1994", "x", 0, -5, 3_000_000])
def test_what_is_not_a_date_is_refused(cell: Cell) -> None:
    with translation.override("de"), pytest.raises(ValueError, match=r"Kein Datum|gibt es nicht"):
        parse.parse_date(cell)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1994", PartialDate(1994, None, None)),
        (1994, PartialDate(1994, None, None)),
        (1994.0, PartialDate(1994, None, None)),
        ("03.1994", PartialDate(1994, 3, None)),
        ("00.00.1994", PartialDate(1994, None, None)),
        ("XX.XX.1994", PartialDate(1994, None, None)),
        ("00.03.1994", PartialDate(1994, 3, None)),
        ("07.03.1994", PartialDate(1994, 3, 7)),
        ("1994-03-07", PartialDate(1994, 3, 7)),
        (datetime.datetime(1994, 3, 7), PartialDate(1994, 3, 7)),
        (34400, PartialDate(1994, 3, 7)),
    ],
)
def test_partial_dates(cell: Cell, expected: PartialDate) -> None:
    assert parse.parse_partial_date(cell) == expected


def test_partial_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError):
        parse.parse_partial_date("31.02.1994")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12,5", Decimal("12.5")),
        ("12.5", Decimal("12.5")),
        ("1.234,56", Decimal("1234.56")),
        ("1,234.56", Decimal("1234.56")),
        ("1.234", Decimal("1234")),
        ("2.500 €", Decimal("2500")),
        ("-3,25", Decimal("-3.25")),
        ("1 234,5", Decimal("1234.5")),
        (12.5, Decimal("12.5")),
        (7, Decimal(7)),
    ],
)
def test_decimals_with_comma_or_point(cell: Cell, expected: Decimal) -> None:
    assert parse.parse_decimal(cell) == expected


@pytest.mark.parametrize("cell", ["NaN", "Infinity", "zwölf", "1,2,3", "sNaN"])
def test_what_is_not_a_number_is_refused(cell: Cell) -> None:
    with pytest.raises(ValueError):
        parse.parse_decimal(cell)


def test_integers_and_booleans() -> None:
    assert parse.parse_integer("1.000") == 1000
    assert parse.parse_integer(3.0) == 3
    with pytest.raises(ValueError):
        parse.parse_integer("2,5")
    assert parse.parse_boolean(True) is True
    assert parse.parse_boolean(" Ja ") is True
    assert parse.parse_boolean("nein") is False
    with pytest.raises(ValueError):
        parse.parse_boolean("vielleicht")


# --- Formula injection (the text rule of convert_cell) --------------------------------------


TEXT = Column("note", "Notiz", max_length=200)


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://x";"klick")',
        " =1+1",
        "=cmd|' /C calc'!A0",
        "@SUM(A1:A2)",
        "-2+3+cmd|' /C calc'!A0",
        "+SUM(1)",
    ],
)
def test_text_that_looks_like_a_formula_is_refused(text: str) -> None:
    with translation.override("de"), pytest.raises(ValueError, match="sieht wie eine Formel aus"):
        convert_cell(TEXT, text, {})


@pytest.mark.parametrize(
    "text", ["+49 381 1234567", "+49 (0)381 12345", "-5", "-12,5", "- keine Angabe -", "@home", "Kurz-Müller"]
)
def test_phone_numbers_negative_numbers_and_ordinary_text_pass(text: str) -> None:
    assert convert_cell(TEXT, text, {}) == text
