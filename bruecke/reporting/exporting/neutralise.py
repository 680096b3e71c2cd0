"""Formula neutralisation for spreadsheets (CSV and XLSX exports).

A spreadsheet program reads a text cell beginning with =, +, -, @ (and, in some programs,
a tab or carriage return before one of them) as a formula: a participant's or employer's
name such as "=HYPERLINK(...)" would run when the export is opened. Such text gets a
leading apostrophe, which every spreadsheet shows as text. Numbers and dates are never
text, so a negative number stays a number.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from bruecke.reporting.tables import Cell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_text(text: str) -> str:
    """`text`, with an apostrophe in front when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def neutralise(value: Cell | bool) -> Cell | bool:
    """A cell as it may be written: text neutralised, everything else unchanged."""
    if isinstance(value, str):
        return neutralise_text(value)
    if isinstance(value, (bool, int, float, Decimal, datetime.date)) or value is None:
        return value
    # Lazy translations and other objects become text, and text is neutralised.
    return neutralise_text(str(value))
