"""The export formats of every report: formula neutralisation, CSV, XLSX, PDF."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from bruecke.reporting.exporting.csv_format import csv_value, tables_csv
from bruecke.reporting.exporting.neutralise import FORMULA_STARTS, neutralise, neutralise_text
from bruecke.reporting.exporting.pdf_format import report_html
from bruecke.reporting.exporting.xlsx_format import SHEET_NAME_MAX, sheet_names, tables_xlsx
from bruecke.reporting.tables import Table

TABLE = Table(
    title="Eintritte: Größe",
    columns=["Merkmal", "Anzahl", "Anteil", "Datum"],
    rows=[
        ["Frauen (Übergang)", 12, Decimal("0.25"), datetime.date(2025, 1, 31)],
        ["=1+1", -3, 1.5, None],
        ["-Minus", 0, Decimal("-0.5"), datetime.date(2025, 2, 28)],
    ],
    notes=["@Hinweis"],
)


# --- neutralisation ---


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_get_an_apostrophe(start: str) -> None:
    assert neutralise_text(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("value", [-3, -0.5, Decimal("-1.25"), 0, datetime.date(2025, 1, 1), None, True])
def test_numbers_dates_and_empty_cells_stay_as_they_are(value: object) -> None:
    assert neutralise(value) == value  # type: ignore[arg-type]
    assert type(neutralise(value)) is type(value)  # type: ignore[arg-type]


@given(st.text())
def test_neutralised_text_never_starts_a_formula_and_keeps_the_text(text: str) -> None:
    result = neutralise_text(text)
    assert not result.startswith(FORMULA_STARTS)
    # Nothing is lost: the text is either unchanged or follows the one apostrophe.
    assert result in (text, "'" + text)
    assert (result != text) == text.startswith(FORMULA_STARTS)


@given(st.integers() | st.floats(allow_nan=False) | st.decimals(allow_nan=False))
def test_every_number_stays_a_number(number: int | float | Decimal) -> None:
    assert neutralise(number) == number


# --- CSV ---


def _csv_lines(content: bytes, delimiter: str) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def test_csv_with_semicolons_uses_decimal_commas_and_iso_dates() -> None:
    lines = _csv_lines(tables_csv([TABLE], ";"), ";")
    assert lines[0] == ["Eintritte: Größe"]
    assert lines[1] == ["Merkmal", "Anzahl", "Anteil", "Datum"]
    assert lines[2] == ["Frauen (Übergang)", "12", "0,25", "2025-01-31"]
    assert lines[3] == ["'=1+1", "-3", "1,5", ""]
    assert lines[4] == ["'-Minus", "0", "-0,5", "2025-02-28"]
    assert lines[5] == ["'@Hinweis"]
    assert lines[6] == []


def test_csv_with_commas_uses_decimal_points() -> None:
    lines = _csv_lines(tables_csv([TABLE, TABLE], ","), ",")
    assert lines[2] == ["Frauen (Übergang)", "12", "0.25", "2025-01-31"]
    # Each table is its own block.
    assert lines[7] == ["Eintritte: Größe"]


def test_csv_refuses_another_delimiter() -> None:
    with pytest.raises(ValueError, match="delimiter"):
        tables_csv([TABLE], "\t")


def test_a_lazy_translation_is_text_and_neutralised() -> None:
    assert csv_value(True, ";") == "1"
    assert csv_value("+49 381", ";") == "'+49 381"


# --- XLSX ---


def test_sheet_names_are_valid_unique_and_short() -> None:
    names = sheet_names(["A/B: [x]*?", "a/b: [x]*?", "x" * 40, "x" * 40, "", "'quoted'"])
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= SHEET_NAME_MAX
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'")
    assert names[0] == "A-B- -x---"


@given(st.lists(st.text(max_size=60), max_size=8))
def test_any_titles_give_valid_unique_sheet_names(titles: list[str]) -> None:
    names = sheet_names(titles)
    assert len(names) == len(titles)
    assert len({n.lower() for n in names}) == len(names)
    assert all(0 < len(n) <= SHEET_NAME_MAX and not set(n) & set("[]:*?/\\") for n in names)


def test_xlsx_keeps_numbers_dates_and_neutralises_text() -> None:
    workbook = load_workbook(io.BytesIO(tables_xlsx([TABLE, TABLE])))
    assert len(workbook.sheetnames) == 2
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Eintritte: Größe"
    assert rows[2] == ("Frauen (Übergang)", 12, 0.25, datetime.datetime(2025, 1, 31))
    assert rows[3][:2] == ("'=1+1", -3)
    assert rows[4][0] == "'-Minus"
    # Never a formula: every text cell is a string cell.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.cell(row=3, column=4).number_format == "DD.MM.YYYY"


def test_xlsx_of_no_tables_is_still_a_workbook() -> None:
    assert load_workbook(io.BytesIO(tables_xlsx([]))).sheetnames == ["Bericht"]


# --- PDF (HTML) ---


def test_pdf_html_escapes_and_formats_german() -> None:
    table = Table(title="<b>Titel</b>", columns=["Wert", "Datum"], rows=[[1234.5, datetime.date(2025, 3, 1)]])
    with translation.override("de"):  # the job renders in the user's language
        html = report_html(title="Bericht", subtitle="Zeitraum", tables=[table])
    assert "&lt;b&gt;Titel&lt;/b&gt;" in html
    assert "01.03.2025" in html
    assert "1.234,5" in html
