"""The words of the value-mapped (choice) columns of a file, for the value mapping: counted
in one streaming pass, the most frequent words no code, label or mapping explains kept
per column (decision 0072).

Only choice columns are listed: their cells are codes such as a gender, a status or a
labour-market status, never names or free text. A small file is listed in the request
that needs it; a larger one by the job `spreadsheets.values`, whose result is kept on the
run (`value_listing`) for the mapping it was made for."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from typing import Any

from django.conf import settings

from bruecke.spreadsheets.base import Column, Entity
from bruecke.spreadsheets.convert import Plan, choice_code, word
from bruecke.spreadsheets.models import ImportRun
from bruecke.spreadsheets.reading import SourceTable
from bruecke.spreadsheets.reading.values import cell_text

# The most frequent unknown words offered per column.
MAX_WORDS = 200
# Distinct unknown words counted per column; beyond this the column is only marked capped
# (a column of free text mapped onto a choice by mistake must not fill the memory).
MAX_COUNTED = 10_000
# Longer texts are no code: they are not listed (the dry run reports them).
MAX_WORD_CHARS = 200
_SEPARATORS = re.compile(r"\s*[,;/|]\s*")


def choice_columns(entity: Entity, columns: dict[str, str]) -> dict[str, str]:
    """Column key -> header of the file, for the mapped columns that take allowed values."""
    return {
        column.key: columns[column.key]
        for column in entity.all_columns()
        if column.kind in ("choice", "choices") and column.key in columns
    }


def in_request(run: ImportRun) -> bool:
    """Whether the run's file is small enough to be listed within a page's request."""
    return run.file_size <= int(settings.IMPORT_LISTING_IN_REQUEST_BYTES)


def _known(column: Column, text: str, values: dict[str, str]) -> bool:
    try:
        choice_code(column, text, values)
    except ValueError:
        return False
    return True


def count_words(
    plan: Plan, table: SourceTable, progress: Callable[[int], None] | None = None
) -> tuple[dict[str, Any], int]:
    """The listing of the plan's choice columns and the number of data rows."""
    index = plan.index(table)
    columns = [c for c in plan.entity.all_columns() if c.kind in ("choice", "choices") and c.key in index]
    counts: dict[str, Counter[str]] = {c.key: Counter() for c in columns}
    shown: dict[str, dict[str, str]] = {c.key: {} for c in columns}
    known: dict[str, set[str]] = {c.key: set() for c in columns}
    overflow = {c.key: False for c in columns}
    rows = 0
    for _number, cells in table.rows():
        rows += 1
        if progress is not None and rows % 1000 == 0:
            progress(rows)
        for column in columns:
            key = column.key
            text = cell_text(cells[index[key]])
            for part in _SEPARATORS.split(text) if column.kind == "choices" else [text]:
                folded = word(part)
                if not folded or folded in known[key] or len(part) > MAX_WORD_CHARS:
                    continue
                if folded not in shown[key]:
                    if _known(column, part, plan.values.get(key, {})):
                        known[key].add(folded)
                        continue
                    if len(shown[key]) >= MAX_COUNTED:
                        overflow[key] = True
                        continue
                    shown[key][folded] = part
                counts[key][folded] += 1
    words = {
        key: {
            "words": [[shown[key][folded], count] for folded, count in counts[key].most_common(MAX_WORDS)],
            "capped": overflow[key] or len(counts[key]) > MAX_WORDS,
        }
        for key in counts
    }
    listing = {"sheet": table.sheet, "columns": {c.key: plan.columns[c.key] for c in columns}, "words": words}
    return listing, rows


def is_current(run: ImportRun, entity: Entity) -> bool:
    """Whether the run's stored listing was made for its sheet and its choice columns."""
    listing = run.value_listing or {}
    return (
        "words" in listing
        and listing.get("sheet", "") == run.sheet
        and listing.get("columns") == choice_columns(entity, run.columns)
    )


def unknown_words(plan: Plan, listing: dict[str, Any]) -> dict[str, list[str]]:
    """Per column: the listed words that the plan's value mapping does not explain yet,
    the most frequent first."""
    unknown: dict[str, list[str]] = {}
    for key, listed in listing.get("words", {}).items():
        column = plan.entity.column(key)
        words = [
            text for text, _count in listed["words"] if not _known(column, text, plan.values.get(key, {}))
        ]
        if words:
            unknown[key] = words
    return unknown


def capped_columns(listing: dict[str, Any]) -> list[str]:
    """The keys of the columns that hold more distinct unknown words than are offered."""
    return [key for key, listed in listing.get("words", {}).items() if listed.get("capped")]
