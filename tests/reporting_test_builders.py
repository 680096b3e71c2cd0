"""A small report registered for the export tests only (the real reports come from the
indicator, activity and target areas). It checks the choice like every builder."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import Http404

from bruecke.accounts.models import User
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.registry import register_report
from bruecke.reporting.scope import require_reporting
from bruecke.reporting.tables import Table

KIND = "test_exports"
TITLE = "ESF-Indikatoren"


@register_report(KIND, TITLE)
def build(user: User, params: dict[str, Any]) -> list[Table]:
    require_reporting(user)
    form = ReportChoiceForm(user, params)
    if not form.is_valid():
        raise Http404
    start: datetime.date = form.cleaned_data["start"]
    return [
        Table(
            title="Übersicht: Teilnehmende [gesamt]",
            columns=["Merkmal", "Anzahl", "Anteil", "Stichtag"],
            rows=[
                ["Frauen (Größe)", 12, Decimal("0.25"), start],
                ['=HYPERLINK("http://x")', -3, 1.5, None],
                ["@SUM(A1)", 0, Decimal("-0.5"), datetime.date(2025, 2, 28)],
            ],
            notes=["+Hinweis: Austritt innerhalb von 28 Tagen"],
        ),
        # A second table with the same (too long) title: sheet names must stay unique.
        Table(
            title="Übersicht: Teilnehmende [gesamt]",
            columns=["Eintritt"],
            rows=[[start]],
        ),
    ]
