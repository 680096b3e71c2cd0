"""Loading the Bundesagentur's KldB 2010 file into the occupation catalogue.

The official "Systematisches Verzeichnis" is a spreadsheet (XLSX, sometimes CSV) with a
header block of several rows, then a header row with columns such as "Schlüssel KldB 2010"
and "Bezeichnung". The loader finds that row by its column names, reads the codes and
titles below it and writes them all or nothing: on any error nothing is written and every
error is reported with its row number. It adds new codes and updates titles; it never
deletes a code (opportunities and profiles refer to them).

No spreadsheet library is needed: an XLSX file is a zip archive of XML parts, of which the
loader reads the shared strings and the first worksheet that has the header row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.placement.kldb import fold
from bruecke.placement.models import Occupation

CODE = re.compile(r"^\d{1,5}\Z")
MAX_TITLE = Occupation._meta.get_field("title").max_length or 300
MAX_ERRORS_LISTED = 30
# How far down the header row may be (the official files have about ten rows above it).
HEADER_SEARCH_ROWS = 50

# Column names as the Bundesagentur's files spell them (folded, letters and digits only).
CODE_COLUMNS = frozenset(
    {
        "schlusselkldb2010",
        "kldb2010schlussel",
        "kldb2010",
        "kldbschlussel",
        "kldb2010code",
        "kldbcode",
        "schlussel",
        "code",
        "kode",
        "kennziffer",
    }
)
TITLE_COLUMNS = frozenset(
    {
        "bezeichnung",
        "bezeichnungkldb2010",
        "kldb2010bezeichnung",
        "berufsbezeichnung",
        "titel",
        "title",
        "berufsgattung",
        "benennung",
    }
)
EXPECTED_COLUMNS = '"Schlüssel KldB 2010" and "Bezeichnung"'

# The file comes from the operator (the Bundesagentur's download), not from users.
# ElementTree resolves no external entities, and expat ≥ 2.4 refuses entity expansion
# attacks ("billion laughs"), so the standard parser is safe enough here (S314).
_parse_xml = ElementTree.fromstring

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


class KldbFileError(Exception):
    """The file cannot be loaded; `messages` says why, row by row where it can."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class LoadResult:
    added: int
    updated: int
    unchanged: int


def _column_key(name: str) -> str:
    # "Schlüssel KldB 2010, V. 2020" → "schlusselkldb2010v2020"
    return re.sub(r"[^a-z0-9]", "", fold(name))


def _is_code_column(name: str) -> bool:
    key = _column_key(name)
    return key in CODE_COLUMNS or key.startswith(("schlusselkldb2010", "kldb2010schlussel"))


def _is_title_column(name: str) -> bool:
    key = _column_key(name)
    return key in TITLE_COLUMNS or key.startswith(("bezeichnung", "titel"))


# --- Reading the file: rows of cell texts with their row numbers -------------------------


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


class _Semicolon(csv.excel):
    delimiter = ";"


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) as written today; Windows-1252 as older exports are."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> Iterator[tuple[int, list[str]]]:
    text = _decode(data)
    dialect: type[csv.Dialect]
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=";,\t")
    except csv.Error:
        dialect = _Semicolon
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        yield number, [_cell_text(cell) for cell in row]


def _column_index(reference: str) -> int:
    letters = "".join(ch for ch in reference if ch.isalpha())
    index = 0
    for ch in letters.upper():
        index = index * 26 + (ord(ch) - ord("A") + 1)
    return index - 1


def _xlsx_sheets(archive: zipfile.ZipFile) -> list[str]:
    """The worksheet parts in the workbook's order."""
    workbook = _parse_xml(archive.read("xl/workbook.xml"))
    rels = _parse_xml(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship")}
    parts = []
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
        if target:
            path = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
            parts.append(path)
    return parts


def _xlsx_shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    root = _parse_xml(archive.read("xl/sharedStrings.xml"))
    return [
        "".join(t.text or "" for t in item.iter(f"{{{_NS['m']}}}t")) for item in root.iterfind("m:si", _NS)
    ]


def _xlsx_rows(archive: zipfile.ZipFile, part: str, strings: list[str]) -> Iterator[tuple[int, list[str]]]:
    root = _parse_xml(archive.read(part))
    for position, row in enumerate(root.iterfind("m:sheetData/m:row", _NS), start=1):
        number = int(row.get("r") or position)
        cells: dict[int, str] = {}
        for column, cell in enumerate(row.iterfind("m:c", _NS)):
            index = _column_index(cell.get("r", "")) if cell.get("r") else column
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t"))
            else:
                raw = cell.findtext("m:v", default="", namespaces=_NS)
                if kind == "s":
                    value = strings[int(raw)] if raw.isdigit() and int(raw) < len(strings) else ""
                elif kind == "n" and raw:
                    number_value = float(raw)
                    value = _cell_text(number_value)
                else:
                    value = raw
            cells[index] = _cell_text(value)
        width = max(cells, default=-1) + 1
        yield number, [cells.get(i, "") for i in range(width)]


def _read_xlsx(data: bytes) -> list[list[tuple[int, list[str]]]]:
    """The rows of every worksheet (the loader takes the first with a header row)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            strings = _xlsx_shared_strings(archive)
            return [list(_xlsx_rows(archive, part, strings)) for part in _xlsx_sheets(archive)]
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError) as error:
        raise KldbFileError([_("The file is not a readable XLSX spreadsheet.")]) from error


def read_tables(path: Path) -> list[list[tuple[int, list[str]]]]:
    """The file's tables (one for a CSV file, one per worksheet for XLSX)."""
    data = path.read_bytes()
    if data[:2] == b"PK" or path.suffix.lower() in {".xlsx", ".xlsm"}:
        return _read_xlsx(data)
    if path.suffix.lower() == ".xls":
        raise KldbFileError(
            [_("The old Excel format (.xls) is not supported. Please use the XLSX or CSV file.")]
        )
    return [list(_read_csv(data))]


# --- Validating ----------------------------------------------------------------------------


def _find_header(rows: list[tuple[int, list[str]]]) -> tuple[int, int, int] | None:
    """(position in rows, code column, title column) of the header row."""
    for position, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        code = next((i for i, cell in enumerate(cells) if cell and _is_code_column(cell)), None)
        title = next((i for i, cell in enumerate(cells) if cell and _is_title_column(cell)), None)
        if code is not None and title is not None:
            return position, code, title
    return None


def parse(path: Path) -> dict[str, str]:
    """Code → title from the file, validated; raises KldbFileError with every error."""
    tables = read_tables(path)
    found = next(((rows, header) for rows in tables if (header := _find_header(rows)) is not None), None)
    if found is None:
        raise KldbFileError(
            [
                _(
                    "No header row with the columns %(columns)s was found (the usual spellings such as "
                    '"KldB 2010" or "Titel" are accepted). Please check that this is the KldB 2010 file.'
                )
                % {"columns": EXPECTED_COLUMNS}
            ]
        )
    rows, (start, code_column, title_column) = found
    errors: list[str] = []
    titles: dict[str, str] = {}
    first_row: dict[str, int] = {}
    for number, cells in rows[start + 1 :]:
        code = cells[code_column] if code_column < len(cells) else ""
        title = cells[title_column] if title_column < len(cells) else ""
        if not code:
            continue  # empty rows, section notes and the rows after the table
        if not CODE.match(code):
            errors.append(
                _('Row %(row)s: "%(code)s" is not a KldB 2010 code (one to five digits).')
                % {"row": number, "code": code[:20]}
            )
            continue
        if len(code) == 5 and code[4] not in "1234":
            errors.append(
                _("Row %(row)s: the fifth digit of %(code)s must be a requirement level from 1 to 4.")
                % {"row": number, "code": code}
            )
            continue
        if not title:
            errors.append(_("Row %(row)s: the code %(code)s has no title.") % {"row": number, "code": code})
            continue
        if len(title) > MAX_TITLE:
            errors.append(
                _("Row %(row)s: the title of %(code)s is longer than %(max)s characters.")
                % {"row": number, "code": code, "max": MAX_TITLE}
            )
            continue
        if code in titles:
            if titles[code] != title:
                errors.append(
                    _(
                        "Row %(row)s: the code %(code)s appears again (first in row %(first)s) "
                        "with another title."
                    )
                    % {"row": number, "code": code, "first": first_row[code]}
                )
            continue
        titles[code] = title
        first_row[code] = number
    if not errors and not titles:
        errors.append(_("The file has the header row but no codes below it."))
    if errors:
        shown = errors[:MAX_ERRORS_LISTED]
        if len(errors) > MAX_ERRORS_LISTED:
            shown.append(_("… and %(count)s more errors.") % {"count": len(errors) - MAX_ERRORS_LISTED})
        raise KldbFileError(shown)
    return titles


# --- Writing -------------------------------------------------------------------------------


@transaction.atomic
def load_kldb(path: Path) -> LoadResult:
    """Loads the file into the catalogue: all or nothing, idempotent, never deletes."""
    titles = parse(path)
    existing = {o.code: o for o in Occupation.objects.select_for_update().filter(code__in=list(titles))}
    added = [
        Occupation(code=c, title=t, search_title=fold(t)) for c, t in titles.items() if c not in existing
    ]
    changed = []
    for code, title in titles.items():
        occupation = existing.get(code)
        if occupation is not None and occupation.title != title:
            occupation.title = title
            occupation.search_title = fold(title)
            changed.append(occupation)
    Occupation.objects.bulk_create(added, batch_size=1000)
    Occupation.objects.bulk_update(changed, ["title", "search_title"], batch_size=1000)
    if added or changed:
        # Reference data of the whole installation: one event for the load, no values.
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            object_type="placement.occupation",
            object_id="kldb-2010",
            changed_fields=["code", "title"] if added else ["title"],
        )
    return LoadResult(
        added=len(added), updated=len(changed), unchanged=len(titles) - len(added) - len(changed)
    )
