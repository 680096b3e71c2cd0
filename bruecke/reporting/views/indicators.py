"""The ESF indicator report page and the lists of participants behind its numbers.

The figures come from the engine (`bruecke.reporting.indicators`) in a fixed number of
queries. Numbers open the participants behind them only for users who see personal data
(`may_drill_down`); the network coordinator gets counts across all partners, never a
name, so the lists answer 404 for them and their report has no links.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import BooleanField, Case, F, Max, QuerySet, Value, When
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.routers import replica_reads
from bruecke.core.views_helpers import paginate
from bruecke.esf import selectors as esf_selectors
from bruecke.participants.models import Participant
from bruecke.reporting import indicators as engine
from bruecke.reporting.indicators import (
    BREAKDOWN,
    IMMEDIATE,
    LONGER_TERM,
    OUTPUT,
    IndicatorReport,
    IndicatorValue,
    ReportRequest,
)
from bruecke.reporting.scope import drill_down_participants, may_drill_down, projects_for, require_reporting
from bruecke.reporting.views.indicator_choice import Choice, read_choice

GROUP_TITLES = {
    OUTPUT: _("Output indicators (at entry)"),
    IMMEDIATE: _("Immediate results (upon leaving)"),
    LONGER_TERM: _("Longer-term results (six months after leaving)"),
}
BREAKDOWN_LABELS = {
    engine.TOTAL: _("Total"),
    engine.WOMEN: _("Women"),
    engine.MEN: _("Men"),
    engine.NON_BINARY: _("Non-binary"),
}


@dataclass(frozen=True)
class Cell:
    value: int
    url: str  # "" where the number opens nothing (zero, or a user without drill-down)
    breakdown_label: str


@dataclass(frozen=True)
class Row:
    indicator: IndicatorValue
    cells: list[Cell]


@dataclass(frozen=True)
class Group:
    key: str
    title: str
    rows: list[Row]
    shows_quality: bool  # a refused / unknown column (only where an item has them)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _link(base: str, query: str, **extra: str) -> str:
    return f"{base}?{query}&{urlencode(extra)}"


def _groups(report: IndicatorReport, query: str, links: bool) -> list[Group]:
    base = reverse("reporting:indicator_participants")
    groups = []
    for key in (OUTPUT, IMMEDIATE, LONGER_TERM):
        rows = [
            Row(
                indicator=indicator,
                cells=[
                    Cell(
                        value=indicator.values.get(part),
                        url=_link(base, query, code=indicator.code, breakdown=part)
                        if links and indicator.values.get(part)
                        else "",
                        breakdown_label=str(BREAKDOWN_LABELS[part]),
                    )
                    for part in BREAKDOWN
                ],
            )
            for indicator in report.indicators
            if indicator.group == key
        ]
        if rows:
            shows_quality = any(
                r.indicator.refused is not None or r.indicator.unknown is not None for r in rows
            )
            groups.append(
                Group(key=key, title=str(GROUP_TITLES[key]), rows=rows, shows_quality=shows_quality)
            )
    return groups


def _percent(rate: float | None) -> str | None:
    return None if rate is None else f"{formats.number_format(rate * 100, 1)} %"


@login_required
def indicator_report(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    context: dict[str, object] = {"breakdown_labels": [BREAKDOWN_LABELS[part] for part in BREAKDOWN]}
    if not projects_for(request.user).exists():
        return render(request, "reporting/indicators/report.html", {**context, "no_project": True})
    choice = read_choice(request)
    if choice.request is not None and not request.GET:
        # The default choice becomes the page's query: the export buttons and the links
        # read the choice from the address, as for a chosen report.
        request.GET = QueryDict(choice.query())
    context |= {"form": choice.form, "query": choice.query(), "drill_down": may_drill_down(request.user)}
    if choice.request is not None:
        # The figures from the read replica when it is current (decision 0069).
        with replica_reads() as source:
            report = engine.compute_report(choice.request)
        context |= {
            "report": report,
            "groups": _groups(report, choice.query(), links=bool(context["drill_down"])),
            "incomplete_url": f"{reverse('reporting:indicator_incomplete')}?{choice.query()}",
            "follow_up_percent": _percent(report.follow_up.rate),
            "read_source": source,
        }
    return render(request, "reporting/indicators/report.html", context)


def _valid_choice(request: HttpRequest) -> tuple[Choice, ReportRequest]:
    """The lists are opened from the report's links: a choice the form refuses is a
    forged address (404), not something to correct here."""
    require_reporting(request.user)
    if not may_drill_down(request.user):
        raise Http404
    choice = read_choice(request)
    if choice.request is None:
        raise Http404
    return choice, choice.request


def _with_exit(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    return participants.select_related("organisation", "team").annotate(last_exit=Max("esf_exits__exit_date"))


@login_required
def indicator_participants(request: HttpRequest) -> HttpResponse:
    choice, report_request = _valid_choice(request)
    report = engine.compute_report(report_request)
    indicators = report.by_code()
    code = request.GET.get("code") or (report.indicators[0].code if report.indicators else "")
    breakdown = request.GET.get("breakdown") or engine.TOTAL
    if code not in indicators or breakdown not in BREAKDOWN:
        raise Http404
    behind = engine.participants_behind(report_request, code, breakdown)
    visible = _with_exit(drill_down_participants(_user(request), behind)).order_by("latin_name", "id")
    page = paginate(request, visible)
    audit_read_all(actor=_user(request), objs=list(page))
    return render(
        request,
        "reporting/indicators/participants.html",
        {
            "indicator": indicators[code],
            "breakdown_label": BREAKDOWN_LABELS[breakdown],
            "total": indicators[code].values.get(breakdown),
            "page": page,
            "report_url": f"{reverse('reporting:indicators')}?{choice.query()}",
            "query": f"{choice.query()}&{urlencode({'code': code, 'breakdown': breakdown})}",
            "report_request": report_request,
        },
    )


def _incomplete_rows(user: User, report_request: ReportRequest) -> QuerySet[Participant]:
    """The incomplete participations the user may see, with the entry record's values as
    annotations (as the ESF list does: no per-row query, encrypted fields never loaded)."""
    may_edit = access.personal_data_filter(user, team_field="team", perm=Perm.EDIT_PARTICIPANTS)
    behind = engine.incomplete_participants(report_request)
    return (
        _with_exit(drill_down_participants(user, behind))
        .annotate(
            esf_record_id=F("esf_entry__id"),
            esf_lm_status=F("esf_entry__lm_status_entry"),
            esf_isced=F("esf_entry__isced_level"),
            esf_can_edit=Case(
                When(may_edit, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
        )
        .order_by("latin_name", "id")
    )


@login_required
def indicator_incomplete(request: HttpRequest) -> HttpResponse:
    choice, report_request = _valid_choice(request)
    total = engine.incomplete_participants(report_request).count()
    page = paginate(request, _incomplete_rows(_user(request), report_request))
    rows = [(p, esf_selectors.missing_labels(esf_selectors.row_missing(p))) for p in page]
    audit_read_all(actor=_user(request), objs=list(page))
    return render(
        request,
        "reporting/indicators/incomplete.html",
        {
            "rows": rows,
            "total": total,
            "page": page,
            "report_url": f"{reverse('reporting:indicators')}?{choice.query()}",
            "query": choice.query(),
            "report_request": report_request,
        },
    )
