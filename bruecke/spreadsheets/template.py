"""The import template: an XLSX workbook with an instructions sheet, one sheet per entity
(header row = the columns' labels in the user's language, so that the column mapping
suggests every column by itself) and a sheet of the allowed values of every choice
column. Built from the registry on request; it holds no personal data."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from bruecke.spreadsheets.base import Column, Entity

# Rows of an entity sheet that get the drop-down of allowed values (a template is small).
VALIDATION_ROWS = 1000
REQUIRED_MARK = " *"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def put(sheet: Worksheet, row: int, column: int, value: object) -> XlsxCell:
    """Writes a cell; text is always stored as text, so a label that looks like a formula
    ("=…", "+…", "-…", "@…") is never one."""
    cell = sheet.cell(row=row, column=column)
    assert isinstance(cell, XlsxCell)  # a new sheet has no merged cells
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def kind_hint(column: Column) -> str:
    """How a cell of this column is written (formats of dates, numbers, yes/no, lists)."""
    hints = {
        "text": _("Text (at most %(max)s characters).") % {"max": column.max_length},
        "date": _("Date as DD.MM.YYYY, e.g. 31.01.2024."),
        "partial_date": _("Date as DD.MM.YYYY, or only MM.YYYY or YYYY when the day or month is unknown."),
        "choice": _("One allowed value (code or label, see the sheet “Allowed values”)."),
        "choices": _(
            "One or more allowed values separated by commas "
            "(codes or labels, see the sheet “Allowed values”)."
        ),
        "decimal": _("Number; decimal comma, e.g. 12,5."),
        "integer": _("Whole number."),
        "boolean": _("Yes or no (ja/nein)."),
    }
    return hints[column.kind]


def header_text(column: Column) -> str:
    return str(column.label) + (REQUIRED_MARK if column.required else "")


def column_note(column: Column) -> str:
    """The comment on a header cell: required or not, the format, the help, the key."""
    lines = [_("Required column.") if column.required else _("Optional column."), kind_hint(column)]
    if column.help:
        lines.append(str(column.help))
    lines.append(_("Key: %(key)s") % {"key": column.key})
    return "\n".join(lines)


def sheet_title(label: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (at most 31 characters, no []:*?/\\)."""
    base = _SHEET_FORBIDDEN.sub(" ", label).strip(" '")[:31] or "Sheet"
    title, number = base, 2
    while title.casefold() in taken:
        suffix = f" ({number})"
        title, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(title.casefold())
    return title


def _choice_columns(entities: Sequence[Entity]) -> Iterable[tuple[Entity, Column]]:
    for entity in entities:
        for column in entity.all_columns():
            if column.kind in ("choice", "choices") and column.choices is not None:
                yield entity, column


def _write_allowed_values(sheet: Worksheet, entities: Sequence[Entity]) -> dict[tuple[str, str], str]:
    """Entity, column, code, label per row; returns the cell range of each column's labels."""
    for number, title in enumerate((_("Data type"), _("Column"), _("Code"), _("Label")), start=1):
        put(sheet, 1, number, title).font = _BOLD
    ranges: dict[tuple[str, str], str] = {}
    row = 2
    for entity, column in _choice_columns(entities):
        first = row
        for code, label in column.choices() if column.choices else ():
            for number, value in enumerate((str(entity.label), str(column.label), code, str(label)), start=1):
                put(sheet, row, number, value)
            row += 1
        if row > first:
            ranges[(entity.key, column.key)] = f"{quote_sheetname(sheet.title)}!$D${first}:$D${row - 1}"
    for letter, width in zip("ABCD", (24, 32, 14, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    return ranges


def _write_entity(sheet: Worksheet, entity: Entity, ranges: dict[tuple[str, str], str]) -> None:
    for number, column in enumerate(entity.all_columns(), start=1):
        cell = put(sheet, 1, number, header_text(column))
        cell.font = _BOLD
        if column.required:
            cell.fill = _REQUIRED_FILL
        cell.comment = Comment(column_note(column), "Brücke", width=320, height=180)
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = max(14, min(40, len(header_text(column)) + 4))
        source = ranges.get((entity.key, column.key))
        if column.kind == "choice" and source:
            # A drop-down of the labels; other words stay possible (they are mapped on import).
            validation = DataValidation(type="list", formula1=source, allow_blank=True, errorStyle="warning")
            validation.add(f"{letter}2:{letter}{VALIDATION_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _write_instructions(sheet: Worksheet, entities: Sequence[Entity], titles: dict[str, str]) -> None:
    lines = [
        _("Import template of Brücke"),
        "",
        _("Each data type has its own sheet. Fill in one row per record, below the header row."),
        _("Do not change the header row: Brücke recognises the columns by their names."),
        _(
            "Columns marked with * are required. The comment on each header says how to write "
            "its cells; the sheet “Allowed values” lists the codes and labels of choice columns."
        ),
        _(
            "The column “external id” holds a number that stays the same in every version of "
            "your spreadsheet. Importing the same row again changes nothing; a changed row "
            "updates its record."
        ),
        _(
            "Import people first, then what refers to them (a column like “participant” names "
            "the external id of the person or their number in Brücke)."
        ),
        _(
            "Upload one sheet at a time: choose the sheet when uploading, or save it as its own "
            "file (XLSX or CSV). Every upload first runs as a dry run."
        ),
        "",
    ]
    row = 1
    for row, line in enumerate(lines, start=1):
        put(sheet, row, 1, line)
    sheet["A1"].font = Font(bold=True, size=14)
    row += 1
    for number, title in enumerate((_("Sheet"), _("Column"), _("Required"), _("How to fill in")), start=1):
        put(sheet, row, number, title).font = _BOLD
    for entity in entities:
        for column in entity.all_columns():
            row += 1
            help_text = " ".join(filter(None, (kind_hint(column), str(column.help))))
            required = _("yes") if column.required else _("no")
            for number, value in enumerate((titles[entity.key], str(column.label), required, help_text), 1):
                put(sheet, row, number, value).alignment = _WRAP
    for letter, width in zip("ABCD", (24, 32, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width


def build_template(entities: Sequence[Entity]) -> bytes:
    """The workbook for `entities`, in the active language."""
    book = Workbook()
    instructions = book.active
    assert instructions is not None
    taken: set[str] = set()
    instructions.title = sheet_title(_("Instructions"), taken)
    titles = {entity.key: sheet_title(str(entity.label), taken) for entity in entities}
    sheets = {entity.key: book.create_sheet(titles[entity.key]) for entity in entities}
    allowed = book.create_sheet(sheet_title(_("Allowed values"), taken))
    ranges = _write_allowed_values(allowed, entities)
    for entity in entities:
        _write_entity(sheets[entity.key], entity, ranges)
    _write_instructions(instructions, entities, titles)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
