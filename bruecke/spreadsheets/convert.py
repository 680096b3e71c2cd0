"""From the cells of a row to the values of an entity's columns: the column mapping picks
the cells, the value mapping turns the file's own words into codes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from bruecke.spreadsheets.base import Column, Entity, StrOrPromise, Value
from bruecke.spreadsheets.reading import Cell, SourceTable
from bruecke.spreadsheets.reading import values as parse

_SPACES = re.compile(r"\s+")
_LIST_SEPARATORS = re.compile(r"\s*[,;/|]\s*")


def word(text: str) -> str:
    """A word of the file as value mappings store it: case and spacing do not matter."""
    return _SPACES.sub(" ", text).strip().casefold()


@dataclass
class Plan:
    """What the user chose: which header feeds which column, and which word means which code."""

    entity: Entity
    columns: dict[str, str]
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    def index(self, table: SourceTable) -> dict[str, int]:
        positions = {header: i for i, header in reversed(list(enumerate(table.headers)))}
        return {key: positions[header] for key, header in self.columns.items() if header in positions}


# Per choices function and language: folded code or label -> code. Choices are fixed lists
# (TextChoices, countries), so each is folded once instead of once per cell.
_CHOICE_WORDS: dict[tuple[object, object, str], dict[str, str]] = {}


def _choice_words(column: Column) -> dict[str, str]:
    """The column's usual words first, then its codes, then its labels."""
    if column.choices is None:
        return {}
    key = (column.choices, column.synonyms, translation.get_language() or "")
    found = _CHOICE_WORDS.get(key)
    if found is None:
        found = {}
        for synonym, code in (column.synonyms() if column.synonyms else {}).items():
            found.setdefault(word(synonym), code)
        for code, _label in column.choices():
            found.setdefault(code.casefold(), code)
        for code, label in column.choices():
            found.setdefault(word(str(label)), code)
        _CHOICE_WORDS[key] = found
    return found


def choice_code(column: Column, text: str, value_map: dict[str, str]) -> str:
    """The code a word stands for: the saved mapping first, then the column's usual words,
    then the code itself or its label."""
    folded = word(text)
    if folded in value_map:
        return value_map[folded]
    code = _choice_words(column).get(folded)
    if code is not None:
        return code
    raise ValueError(
        _("Unknown value “%(value)s”. Map it to an allowed value on the page “Map values”.")
        % {"value": text[:80]}
    )


def convert_cell(column: Column, cell: Cell, value_map: dict[str, str]) -> Value:
    """One cell as the column's value; None when empty. Raises ValueError with a message."""
    text = parse.cell_text(cell)
    if text == "":
        return None
    if column.kind == "text":
        if isinstance(cell, str) and parse.looks_like_formula(text):
            raise ValueError(
                _("This looks like a formula. Formulas are not imported; please enter the value itself.")
            )
        if len(text) > column.max_length:
            raise ValueError(
                _("This text is too long (at most %(max)s characters).") % {"max": column.max_length}
            )
        return text
    if column.kind == "date":
        return parse.parse_date(cell)
    if column.kind == "partial_date":
        return parse.parse_partial_date(cell)
    if column.kind == "choice":
        return choice_code(column, text, value_map)
    if column.kind == "choices":
        return sorted({choice_code(column, part, value_map) for part in _LIST_SEPARATORS.split(text) if part})
    if column.kind == "decimal":
        return parse.parse_decimal(cell)
    if column.kind == "integer":
        return parse.parse_integer(cell)
    if column.kind == "boolean":
        return parse.parse_boolean(cell)
    raise AssertionError(column.kind)


def convert_row(
    plan: Plan, index: dict[str, int], cells: list[Cell]
) -> tuple[dict[str, Value], list[tuple[str | None, StrOrPromise]]]:
    values: dict[str, Any] = {}
    errors: list[tuple[str | None, StrOrPromise]] = []
    for column in plan.entity.all_columns():
        position = index.get(column.key)
        cell = cells[position] if position is not None and position < len(cells) else None
        try:
            values[column.key] = convert_cell(column, cell, plan.values.get(column.key, {}))
        except ValueError as error:
            errors.append((column.key, str(error)))
            continue
        if column.required and values[column.key] is None:
            errors.append((column.key, _("This column must not be empty.")))
    return values, errors


def is_empty(cells: list[Cell]) -> bool:
    return all(parse.cell_text(cell) == "" for cell in cells)
