"""Reading an uploaded file into a table: the kind is decided by the content, not by the
name; what is not a readable, safe XLSX or CSV file is refused with a clear message."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from bruecke.spreadsheets.reading.csvfile import read_csv
from bruecke.spreadsheets.reading.shape import Cell, SourceTable, UnreadableFile
from bruecke.spreadsheets.reading.xlsxfile import read_xlsx, xlsx_sheet_names

__all__ = ["Cell", "SourceTable", "UnreadableFile", "read_table", "sheet_names"]

_NAMES = (".xlsx", ".xlsm", ".xls", ".csv", ".txt")
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# The name of the stream an encrypted (password-protected) Office file keeps its content in.
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
_BINARY = (
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"BM",
    b"\x7fELF",
    b"MZ",
    b"Rar!",
    b"7z\xbc\xaf",
)


def _not_a_spreadsheet() -> UnreadableFile:
    return UnreadableFile(_("This file is not a spreadsheet. Please upload an XLSX or CSV file."))


def _kind(data: bytes, filename: str) -> str:
    """'xlsx' or 'csv' by the file's first bytes; everything else is refused."""
    if not filename.lower().endswith(_NAMES):
        raise UnreadableFile(_("Please upload an XLSX or CSV file."))
    limit = int(settings.IMPORT_MAX_FILE_SIZE)
    if len(data) > limit:
        raise UnreadableFile(
            _("The file is larger than %(size)s MB. Please split it into smaller files.")
            % {"size": limit // (1024 * 1024)}
        )
    if data.startswith(_ZIP):
        return "xlsx"
    if data.startswith(_OLE):
        if _ENCRYPTED in data:
            raise UnreadableFile(
                _(
                    "This file is protected by a password. "
                    "Please remove the password in Excel and upload it again."
                )
            )
        raise UnreadableFile(
            _("This is an old Excel file (.xls). Please save it as an Excel workbook (.xlsx) or as CSV.")
        )
    if data.startswith(b"%PDF"):
        raise UnreadableFile(_("This file is a PDF, not a spreadsheet. Please upload an XLSX or CSV file."))
    if data.startswith(_BINARY):
        raise _not_a_spreadsheet()
    return "csv"


def read_table(data: bytes, filename: str, *, sheet: str = "") -> SourceTable:
    """The table of the file (of `sheet`, or the first worksheet of a workbook). Raises
    UnreadableFile with a message for the user; rows() may raise it too for a broken row."""
    if _kind(data, filename) == "xlsx":
        return read_xlsx(data, sheet)
    return read_csv(data)


def sheet_names(data: bytes, filename: str) -> list[str]:
    """The worksheets of a workbook in their order; [] for a CSV file."""
    if _kind(data, filename) == "xlsx":
        return xlsx_sheet_names(data)
    return []
