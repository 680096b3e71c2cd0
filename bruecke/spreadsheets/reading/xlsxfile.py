"""XLSX through openpyxl's read-only (streaming) mode with cached formula values. The zip
directory is checked before openpyxl opens anything: declared sizes and ratios (zip bombs),
the number of parts, macros, external links and encrypted parts are refused."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Iterator
from typing import Any, cast
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from django.utils.translation import gettext as _

from bruecke.spreadsheets.reading.shape import SourceTable, UnreadableFile, build_table

logger = logging.getLogger(__name__)

# Everything a workbook unpacks to, by the sizes its zip directory declares (zipfile
# itself stops at a part's declared size, so a part cannot unpack to more).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_PARTS = 5_000
# Deflate packs at most about 1:1032; a large part packed denser than this is refused.
MAX_RATIO = 500
_RATIO_FROM_BYTES = 10 * 1024 * 1024
_CONTENT_TYPES = "[Content_Types].xml"


def _damaged() -> UnreadableFile:
    return UnreadableFile(_("This file is damaged or not an Excel workbook (XLSX)."))


def _too_large() -> UnreadableFile:
    return UnreadableFile(
        _(
            "This workbook unpacks to more than %(size)s MB or has too many parts; it is refused "
            "for safety. Please split it into smaller files."
        )
        % {"size": MAX_UNPACKED_BYTES // (1024 * 1024)}
    )


def _check_sizes(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_PARTS or sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise _too_large()
    for info in infos:
        if info.file_size > _RATIO_FROM_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise _too_large()
        if info.flag_bits & 0x1:
            raise UnreadableFile(
                _(
                    "This file is protected by a password. "
                    "Please remove the password in Excel and upload it again."
                )
            )


def _content_types(archive: zipfile.ZipFile, names: set[str]) -> str:
    if _CONTENT_TYPES not in names:
        if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
            raise UnreadableFile(
                _("This is an OpenDocument spreadsheet (.ods). Please save it as XLSX or CSV.")
            )
        raise _damaged()
    if archive.getinfo(_CONTENT_TYPES).file_size > 1024 * 1024:
        raise _damaged()
    return archive.read(_CONTENT_TYPES).decode("utf-8", errors="replace")


def check_archive(data: bytes) -> None:
    """Refuses what must not reach openpyxl, from the zip directory alone."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    with archive:
        infos = archive.infolist()
        _check_sizes(infos)
        names = {info.filename for info in infos}
        types = _content_types(archive, names)
    lowered = {name.lower() for name in names}
    if "macroenabled" in types.lower() or any(name.endswith("vbaproject.bin") for name in lowered):
        raise UnreadableFile(
            _(
                "This workbook contains macros. "
                "Please save it as a workbook without macros (.xlsx) and upload it again."
            )
        )
    if any("externallinks/" in name for name in lowered):
        raise UnreadableFile(
            _(
                "This workbook links to other files (external links). Please replace the links by their "
                "values (Excel: Data › Edit Links › Break Link) and upload it again."
            )
        )
    if "spreadsheetml" not in types:
        raise _damaged()


def _open(data: bytes) -> Any:
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except UnreadableFile:
        raise
    except Exception as error:  # any parser failure on a hostile or broken file
        logger.info("XLSX refused: %s", type(error).__name__)
        raise _damaged() from None


def _worksheet(book: Any, sheet: str) -> Any:
    if not book.worksheets:
        raise UnreadableFile(_("The workbook contains no worksheet."))
    if not sheet:
        return book.worksheets[0]
    for worksheet in book.worksheets:
        if worksheet.title == sheet:
            return worksheet
    raise UnreadableFile(_("The sheet “%(sheet)s” does not exist in this workbook.") % {"sheet": sheet})


_WORKBOOK = "xl/workbook.xml"
_MAX_WORKBOOK_PART = 10 * 1024 * 1024
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _names_from_workbook_part(archive: zipfile.ZipFile) -> list[str] | None:
    """The sheet names as the workbook part lists them, streamed from the zip (no sheet's
    data is unpacked); None when the part is not where Excel puts it."""
    try:
        info = archive.getinfo(_WORKBOOK)
    except KeyError:
        return None
    if info.file_size > _MAX_WORKBOOK_PART:
        raise _damaged()
    parser = XMLPullParser(events=("start",))
    names: list[str] = []
    with archive.open(info) as part:
        while chunk := part.read(64 * 1024):
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                raise _damaged()  # a workbook part never declares entities
            try:
                parser.feed(chunk)
                for event in parser.read_events():
                    _kind, element = cast("tuple[str, Any]", event)
                    if isinstance(element, Element) and element.tag == f"{_MAIN_NS}sheet":
                        name = element.get("name")
                        if name:
                            names.append(name)
            except ParseError:
                raise _damaged() from None
    return names


def xlsx_sheet_names(data: bytes) -> list[str]:
    """The worksheets of the workbook in their order, read from the workbook part alone."""
    check_archive(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = _names_from_workbook_part(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _damaged() from None
    if names is not None:
        return names
    book = _open(data)
    try:
        return [worksheet.title for worksheet in book.worksheets]
    finally:
        book.close()


def read_xlsx(data: bytes, sheet: str) -> SourceTable:
    check_archive(data)
    # Opened once: each pass of rows() streams the sheet's part again from the start.
    worksheet = _worksheet(_open(data), sheet)
    # The declared dimension may claim 16,384 columns; rows are read as they are.
    worksheet.reset_dimensions()

    def raw(start: int) -> Iterator[tuple[int, Any]]:
        try:
            yield from enumerate(worksheet.iter_rows(min_row=start, values_only=True), start=start)
        except UnreadableFile:
            raise
        except Exception as error:  # a broken part found while streaming
            logger.info("XLSX refused while reading: %s", type(error).__name__)
            raise _damaged() from None

    return build_table(raw, sheet=worksheet.title)
