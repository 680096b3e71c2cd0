"""The ESF indicator report as tables (page, CSV/XLSX/PDF exports, background job)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.indicators import (
    IMMEDIATE,
    LONGER_TERM,
    OUTPUT,
    IndicatorReport,
    ReportRequest,
    compute_report,
)
from bruecke.reporting.registry import register_report
from bruecke.reporting.scope import require_reporting
from bruecke.reporting.tables import Cell, Table


def request_from(user: User, params: dict[str, Any]) -> ReportRequest:
    """The validated choice; Http404 for a user without reports or a choice outside them."""
    require_reporting(user)
    form = ReportChoiceForm(user, params)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    return ReportRequest(
        project=data["project"], start=data["start"], end=data["end"], scope=form.chosen_scope
    )


def _group_table(report: IndicatorReport, group: str, title: str) -> Table:
    columns = [_("Code"), _("Indicator"), _("Total"), _("Women"), _("Men"), _("Non-binary")]
    rows: list[list[Cell]] = []
    notes: list[str] = []
    for item in report.indicators:
        if item.group != group:
            continue
        v = item.values
        rows.append([item.code, item.label, v.total, v.women, v.men, v.non_binary])
        if item.refused or item.unknown:
            notes.append(
                _("%(code)s: %(refused)s refused, %(unknown)s unknown (not counted).")
                % {"code": item.code, "refused": item.refused or 0, "unknown": item.unknown or 0}
            )
    return Table(title=title, columns=columns, rows=rows, notes=notes)


def tables_of(report: IndicatorReport) -> list[Table]:
    follow_up = report.follow_up
    quality: list[list[Cell]] = [[flag.label, flag.count] for flag in report.flags]
    rate = f"{follow_up.rate:.0%}" if follow_up.rate is not None else "–"
    return [
        _group_table(report, OUTPUT, _("Output indicators")),
        _group_table(report, IMMEDIATE, _("Immediate result indicators")),
        _group_table(report, LONGER_TERM, _("Longer-term result indicators")),
        Table(
            title=_("Consistency checks"),
            columns=[_("Check"), _("Holds"), _("Detail")],
            rows=[[c.label, _("yes") if c.holds else _("no"), c.detail] for c in report.checks],
        ),
        Table(
            title=_("Data quality"),
            columns=[_("Item"), _("Count")],
            rows=[
                *quality,
                [_("Incomplete records (in no indicator)"), report.incomplete_count],
                [_("Six-month follow-up due"), follow_up.due],
                [_("Six-month follow-up answered"), follow_up.answered],
                [_("Six-month follow-up response rate"), rate],
            ],
        ),
        Table(
            title=_("Settings used"),
            columns=[_("Setting"), _("Value")],
            rows=[[label, value] for label, value in report.settings_used],
        ),
    ]


@register_report("indicators", "ESF indicator report")
def indicators(user: User, params: dict[str, Any]) -> list[Table]:
    return tables_of(compute_report(request_from(user, params)))
