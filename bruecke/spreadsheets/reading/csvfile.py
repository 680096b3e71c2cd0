"""CSV as German Excel writes it: `;` or `,` between fields (detected), UTF-8 with or
without BOM or Windows-1252, streamed through Python's csv module. Anything that is not
plausible text (UTF-16, binary files named .csv) is refused, never guessed."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from bruecke.spreadsheets.reading.shape import SourceTable, UnreadableFile, build_table

_CHUNK = 1 << 20
# Control characters that no spreadsheet text contains (tab, line feed, carriage return
# are fine; 0x1A is the old DOS end-of-file mark some exports still write).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x19\x1b-\x1f\x7f]")
_DELIMITERS = (";", ",", "\t")
_SNIFF_BYTES = 64 * 1024
_SNIFF_RECORDS = 50


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 without a BOM: every other byte of Latin text is zero."""
    pairs = head[: len(head) - len(head) % 2]
    if len(pairs) < 4:
        return False
    even, odd = pairs[0::2].count(0), pairs[1::2].count(0)
    return max(even, odd) >= len(pairs) // 4


def _plausible(data: bytes, encoding: str) -> bool:
    """Whether the whole file decodes strictly to text without control characters."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        for start in range(0, len(data), _CHUNK):
            final = start + _CHUNK >= len(data)
            if _CONTROL.search(decoder.decode(data[start : start + _CHUNK], final=final)):
                return False
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or _looks_utf16(data[:1024]):
        raise UnreadableFile(
            _(
                "This file is saved as Unicode text (UTF-16). Please save it in Excel as "
                "“CSV UTF-8 (comma delimited)” or as an Excel workbook (XLSX)."
            )
        )
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise UnreadableFile(_("This file is not a spreadsheet. Please upload an XLSX or CSV file."))
    if _plausible(data, "utf-8-sig"):
        return "utf-8-sig"
    if _plausible(data, "cp1252"):
        return "cp1252"
    raise UnreadableFile(
        _(
            "The characters of this file cannot be read: it is neither UTF-8 nor Windows-1252 "
            "text. Please save it in Excel as “CSV UTF-8 (comma delimited)” or as XLSX."
        )
    )


def _consistency(records: list[list[str]]) -> int:
    """How many records share the most common field count (0 when that count is 1)."""
    counts = Counter(len(record) for record in records if any(field.strip() for field in record))
    if not counts:
        return 0
    width, times = counts.most_common(1)[0]
    return times if width > 1 else 0


def detect_delimiter(data: bytes, encoding: str) -> str:
    """The separator that splits the first records into the most equally wide rows;
    `;` (German Excel) wins a tie. Quoted fields may contain the other separators."""
    sample = data[:_SNIFF_BYTES].decode(encoding, errors="ignore")
    if len(data) > _SNIFF_BYTES:
        sample = sample[: max(sample.rfind("\n"), 0)]
    best, best_score = ";", 0
    for delimiter in _DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            records = [record for _, record in zip(range(_SNIFF_RECORDS), reader, strict=False)]
        except csv.Error:
            continue
        score = _consistency(records)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _raise_field_limit() -> None:
    """Fields up to the size of an allowed file are read (and then refused above the cell
    limit with their row and column) instead of failing without a position."""
    wanted = int(settings.IMPORT_MAX_FILE_SIZE) + 1
    if csv.field_size_limit() < wanted:
        csv.field_size_limit(wanted)


def read_csv(data: bytes) -> SourceTable:
    encoding = detect_encoding(data)
    delimiter = detect_delimiter(data, encoding)
    _raise_field_limit()

    def raw(start: int) -> Iterator[tuple[int, Any]]:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        number = 0
        try:
            for number, record in enumerate(reader, start=1):
                yield number, record
        except csv.Error:
            raise UnreadableFile(
                _("The CSV file cannot be read near row %(row)s.") % {"row": number + 1}
            ) from None

    return build_table(raw)
