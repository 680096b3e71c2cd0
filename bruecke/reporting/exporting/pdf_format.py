"""PDF of a report's tables: our own HTML template rendered by the shared WeasyPrint
wrapper (no fetches, time-limited in a child process)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import formats, translation

from bruecke.reporting.tables import Cell, Table

TEMPLATE = "reporting/exports/report_pdf.html"
STYLESHEETS = ("css/print.css",)


def pdf_value(value: Cell | bool) -> str:
    """A cell as German text (DD.MM.YYYY, decimal comma)."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    return str(value)


def report_html(*, title: str, subtitle: str, tables: list[Table]) -> str:
    """The HTML the PDF is made from; the template escapes every value."""
    shown = [
        {
            "title": table.title,
            "columns": table.columns,
            # (text, right-aligned) per cell: numbers line up in their column.
            "rows": [
                [(pdf_value(cell), isinstance(cell, (int, float, Decimal))) for cell in row]
                for row in table.rows
            ],
            "notes": table.notes,
        }
        for table in tables
    ]
    context = {
        "title": title,
        "subtitle": subtitle,
        "tables": shown,
        "language": translation.get_language() or "de",
    }
    return render_to_string(TEMPLATE, context)
