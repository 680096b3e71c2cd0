"""Files that must be refused with a clear message in the user's language, never a server
error and never a hang: wrong encodings, files that only say they are spreadsheets, zip
bombs, macros, external links, encrypted workbooks, oversized cells, broken headers."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.test import override_settings
from django.utils import translation
from openpyxl.worksheet.worksheet import Worksheet

from bruecke.network.demo import DemoNetwork
from bruecke.spreadsheets.reading import UnreadableFile, read_table


def refusal(data: bytes, filename: str, *, sheet: str = "") -> str:
    """The German message the file is refused with (reading every row)."""
    with translation.override("de"), pytest.raises(UnreadableFile) as caught:
        list(read_table(data, filename, sheet=sheet).rows())
    return caught.value.message


def workbook(rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def repacked(data: bytes, extra: dict[str, bytes], replace: dict[str, bytes] | None = None) -> bytes:
    """The workbook with parts added or replaced."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, content in extra.items():
            target.writestr(name, content)
    return out.getvalue()


SIMPLE = workbook([["Name", "Ort"], ["Anna", "Rostock"]])


# --- Encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_text_is_refused_not_garbled(encoding: str) -> None:
    data = "Name;Ort\r\nJürgen;Rostock\r\n".encode(encoding)
    assert "UTF-16" in refusal(data, "a.csv")


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused() -> None:
    # 0x81 and 0x8D are undefined in Windows-1252 and not valid UTF-8 here.
    data = b"Name;Ort\r\nJ\x81rgen;Ro\x8dstock\r\n"
    assert "weder UTF-8- noch Windows-1252" in refusal(data, "a.csv")


def test_control_characters_are_not_taken_for_windows_1252() -> None:
    data = b"Name;Ort\r\n\x02\x03\x04\x05\xfc;\x10\x11\r\n"
    assert "weder UTF-8- noch Windows-1252" in refusal(data, "a.csv")


# --- Not a spreadsheet ----------------------------------------------------------------------


@pytest.mark.parametrize("filename", ["liste.xlsx", "liste.csv"])
@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10", "keine Tabelle"),
        (os.urandom(4096), "keine Tabelle|weder UTF-8|Unicode"),
        (b"\x00" * 2048, "keine Tabelle|Unicode"),
    ],
)
def test_a_file_that_only_says_it_is_a_spreadsheet_is_refused(data: bytes, words: str, filename: str) -> None:
    import re

    assert re.search(words, refusal(data, filename))


def test_a_zip_that_is_no_workbook_is_refused() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hallo.txt", "Hallo")
    assert "beschädigt" in refusal(out.getvalue(), "a.xlsx")


def test_a_truncated_workbook_is_refused() -> None:
    assert "beschädigt" in refusal(SIMPLE[: len(SIMPLE) // 2], "a.xlsx")


def test_broken_sheet_xml_is_refused() -> None:
    data = repacked(SIMPLE, {}, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row r='1'><c"})
    assert "beschädigt" in refusal(data, "a.xlsx")


def test_other_file_names_are_refused() -> None:
    assert "XLSX- oder CSV-Datei" in refusal(b"Name\nAnna\n", "liste.pdf")


def test_an_opendocument_spreadsheet_gets_its_own_message() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert "OpenDocument" in refusal(out.getvalue(), "a.xlsx")


def test_an_old_xls_and_an_encrypted_workbook_are_told_apart() -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    assert ".xls" in refusal(ole + b"Workbook".ljust(64, b"\x00"), "a.xls")
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64
    assert "Passwort" in refusal(encrypted, "a.xlsx")


# --- Zip bombs, macros, external links ------------------------------------------------------


def test_a_zip_bomb_is_refused_from_the_directory_before_unpacking() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        source = zipfile.ZipFile(io.BytesIO(SIMPLE))
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
        with archive.open("xl/media/bomb.bin", "w", force_zip64=True) as bomb:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(210):
                bomb.write(chunk)
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    assert "200 MB" in refusal(data, "a.xlsx")


def test_a_part_packed_denser_than_any_sheet_is_refused() -> None:
    data = repacked(SIMPLE, {"xl/media/dense.bin": b"\x00" * (30 * 1024 * 1024)})
    assert "Sicherheit" in refusal(data, "a.xlsx")


def test_too_many_parts_are_refused() -> None:
    data = repacked(SIMPLE, {f"xl/media/{n}.bin": b"" for n in range(5_001)})
    assert "Sicherheit" in refusal(data, "a.xlsx")


def test_macros_are_refused() -> None:
    assert "Makros" in refusal(repacked(SIMPLE, {"xl/vbaProject.bin": b"\x00" * 64}), "a.xlsm")
    types = (
        zipfile.ZipFile(io.BytesIO(SIMPLE))
        .read("[Content_Types].xml")
        .replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
    )
    assert "Makros" in refusal(repacked(SIMPLE, {}, {"[Content_Types].xml": types}), "a.xlsx")


def test_external_links_are_refused() -> None:
    data = repacked(SIMPLE, {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    assert "externe Verknüpfungen" in refusal(data, "a.xlsx")


# --- Sizes -------------------------------------------------------------------------------


@override_settings(IMPORT_MAX_FILE_SIZE=1024 * 1024)
def test_a_file_above_the_size_limit_is_refused() -> None:
    assert "größer als 1 MB" in refusal(b"Name\n" + b"Anna\n" * 300_000, "a.csv")


def test_a_10_mb_cell_is_refused_with_row_and_column_in_csv() -> None:
    data = b"Name;Notiz\nAnna;kurz\nBen;" + b"x" * (10 * 1024 * 1024) + b"\n"
    message = refusal(data, "a.csv")
    assert "Zeile 3, Spalte B" in message


def test_a_10_mb_cell_is_refused_with_row_and_column_in_xlsx() -> None:
    # openpyxl cuts text at Excel's limit when writing, so the long cell is written as XML
    # (of random text: a repeated letter would pack so densely that it counts as a zip bomb).
    template = workbook([["Name", "Notiz"]])
    sheet = zipfile.ZipFile(io.BytesIO(template)).read("xl/worksheets/sheet1.xml")
    long_row = (
        b'<row r="2"><c r="B2" t="inlineStr"><is><t>'
        + os.urandom(5 * 1024 * 1024).hex().encode()
        + b"</t></is></c></row>"
    )
    data = repacked(
        template,
        {},
        {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", long_row + b"</sheetData>")},
    )
    assert "Zeile 2, Spalte B" in refusal(data, "a.xlsx")


# --- Headers and empty files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "a.csv"),
        (b"\r\n\r\n  \r\n", "a.csv"),
        (b";;;\r\n;;;\r\n", "a.csv"),
        (workbook([]), "a.xlsx"),
        (workbook([[None, None], [None, "  "]]), "a.xlsx"),
    ],
)
def test_a_file_without_rows_is_refused(data: bytes, filename: str) -> None:
    assert "enthält keine Zeilen" in refusal(data, filename)


def test_a_header_without_data_rows_is_refused() -> None:
    assert "keine Datenzeilen" in refusal(b"Name;Ort\r\n", "a.csv")


@pytest.mark.parametrize("filename", ["a.csv", "a.xlsx"])
def test_duplicate_header_names_are_named_with_their_columns(filename: str) -> None:
    rows = [["Nr.", "Name", "Ort", "name "], ["1", "A", "R", "B"]]
    data = workbook(rows) if filename.endswith("xlsx") else "\n".join(";".join(r) for r in rows).encode()
    assert "„Name“ (B, D)" in refusal(data, filename)


@pytest.mark.parametrize("filename", ["a.csv", "a.xlsx"])
def test_data_below_a_missing_header_name_is_named_with_its_column(filename: str) -> None:
    rows = [["Nr.", "Name", "", "Ort", "", ""], ["1", "A", "x", "R", "", "y"], ["2", "B", "", "S", "", ""]]
    data = workbook(rows) if filename.endswith("xlsx") else "\n".join(";".join(r) for r in rows).encode()
    message = refusal(data, filename)
    assert "C, F" in message
    assert "Zeile 1" in message


def test_data_in_an_unnamed_column_far_down_is_refused_while_streaming() -> None:
    lines = ["Name;Ort"] + [f"P{n};R" for n in range(100)] + ["P;R;Notiz"]
    assert "C" in refusal("\n".join(lines).encode(), "a.csv")


def test_an_unknown_sheet_is_named() -> None:
    assert "„Daten“" in refusal(SIMPLE, "a.xlsx", sheet="Daten")


def test_messages_are_english_for_english_users() -> None:
    with translation.override("en"), pytest.raises(UnreadableFile) as caught:
        read_table(b"%PDF-1.4", "a.csv")
    assert caught.value.message == "This file is a PDF, not a spreadsheet. Please upload an XLSX or CSV file."


# --- Through the engine: a formula in a German Excel file is an error on its row -----------


@pytest.mark.django_db
def test_a_formula_in_an_imported_file_is_an_error_on_its_row_and_nothing_is_imported(
    demo: DemoNetwork,
) -> None:
    from bruecke.placement.models import Employer
    from bruecke.spreadsheets.base import ImportContext
    from bruecke.spreadsheets.convert import Plan
    from bruecke.spreadsheets.engine import RowResult, run_file
    from bruecke.spreadsheets.mapping import suggest_columns
    from bruecke.spreadsheets.registry import get

    entity = get("employers")
    assert entity is not None
    rows = [["Arbeitgeber 2023"], ["Nr.", "Firma", "Branche", "Notizen"]]
    rows += [
        ["1", "Bäckerei Kurz", "C", "+49 381 1234"],
        ["2", "Hafen GmbH", "H", '=HYPERLINK("http://x";"klick")'],
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)
    for row in rows:
        sheet.append(row)
    sheet["D4"].data_type = "s"  # text that starts with "=", as a user may type it after a '
    buffer = io.BytesIO()
    book.save(buffer)
    table = read_table(buffer.getvalue(), "arbeitgeber.xlsx")
    before = Employer.objects.count()
    results: list[RowResult] = []
    ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity=entity.key)
    with translation.override("de"):
        counts = run_file(
            ctx,
            Plan(entity, suggest_columns(entity, table.headers)),
            table,
            dry_run=False,
            on_row=results.append,
        )
    assert counts.errors == 1
    assert [(r.row_number, r.errors) for r in results if r.errors] == [
        (
            4,
            [
                (
                    "notes",
                    "Dies sieht wie eine Formel aus. Formeln werden nicht übernommen; "
                    "bitte tragen Sie den Wert selbst ein.",
                )
            ],
        )
    ]
    assert Employer.objects.count() == before
