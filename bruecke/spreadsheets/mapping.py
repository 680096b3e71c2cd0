"""Suggestions for the column and value mapping, from the file's headers and words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from django.utils import translation

from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.convert import Plan, choice_code, word
from bruecke.spreadsheets.reading import SourceTable
from bruecke.spreadsheets.reading.values import cell_text

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
# At most this many distinct unknown words per column are offered for mapping.
MAX_UNKNOWN_WORDS = 200


def header_key(text: str) -> str:
    """Headers compared without case, accents, umlaut spelling, spaces and punctuation."""
    text = text.casefold().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_ALNUM.sub("", text)


def _names(entity: Entity) -> Iterator[tuple[str, str]]:
    for column in entity.all_columns():
        yield column.key, column.key
        for alias in column.aliases:
            yield column.key, alias
        for language in ("de", "en"):
            with translation.override(language):
                yield column.key, str(column.label)


def suggest_columns(entity: Entity, headers: list[str]) -> dict[str, str]:
    """Column key -> header, for every header that names a column (first match wins)."""
    by_key = {header_key(h): h for h in reversed(headers) if h}
    suggestion: dict[str, str] = {}
    for key, name in _names(entity):
        header = by_key.get(header_key(name))
        if header and key not in suggestion and header not in suggestion.values():
            suggestion[key] = header
    return suggestion


def unknown_words(plan: Plan, table: SourceTable) -> dict[str, list[str]]:
    """Per choice column: the distinct words of the file that no mapping, code or label
    explains yet (as written in the file, in order of first appearance)."""
    index = plan.index(table)
    columns = [c for c in plan.entity.all_columns() if c.kind in ("choice", "choices") and c.key in index]
    found: dict[str, dict[str, str]] = {c.key: {} for c in columns}
    for _number, cells in table.rows():
        for column in columns:
            text = cell_text(cells[index[column.key]])
            parts = re.split(r"\s*[,;/|]\s*", text) if column.kind == "choices" else [text]
            for part in parts:
                folded = word(part)
                if not folded or folded in found[column.key] or len(found[column.key]) >= MAX_UNKNOWN_WORDS:
                    continue
                try:
                    choice_code(column, part, plan.values.get(column.key, {}))
                except ValueError:
                    found[column.key][folded] = part
    return {key: list(words.values()) for key, words in found.items() if words}
