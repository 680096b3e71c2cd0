"""The dashboard: every figure of `selectors/dashboard_*.py` as a chart with its table, for
one project, period and scope (the page, the start page and the "dashboard" export)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.safestring import SafeString

from bruecke.participants.selectors import AnyUser
from bruecke.projects.models import Project
from bruecke.reporting.charts import ChartData, chart_html
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.scope import ReportScope, project_for
from bruecke.reporting.selectors import Slice, slice_for
from bruecke.reporting.selectors.dashboard_barriers import barriers_first_and_latest
from bruecke.reporting.selectors.dashboard_contacts import contacts_per_partner, contacts_per_staff
from bruecke.reporting.selectors.dashboard_flow import by_partner, by_region, flow, per_month
from bruecke.reporting.selectors.dashboard_placements import placements_after_six_months, placements_by_type
from bruecke.reporting.selectors.dashboard_referrals import referrals_by_type_and_outcome
from bruecke.reporting.selectors.dashboard_trainings import trainings
from bruecke.reporting.tables import Table


@dataclass(frozen=True)
class Panel:
    """One chart of the dashboard: `key` is its HTML id (unique on the page)."""

    key: str
    data: ChartData
    kind: str = "bars"
    stacked: bool = False

    @property
    def svg(self) -> SafeString:
        return chart_html(f"chart-{self.key}", self.data, kind=self.kind, stacked=self.stacked)

    @property
    def table(self) -> Table:
        return self.data.table()


@dataclass(frozen=True)
class Choice:
    project: Project
    scope: ReportScope
    start: datetime.date
    end: datetime.date


def checked_choice(user: AnyUser, params: Any) -> tuple[ReportChoiceForm, Choice | None]:
    """The report choice from GET parameters: 404 for a project or scope the user may not
    see (as for any record outside their scope); other errors stay on the form."""
    form = ReportChoiceForm(user, params)
    if params.get("project"):
        try:
            project_for(user, int(params["project"]))
        except (TypeError, ValueError):
            raise Http404 from None
    if params.get("scope") and params["scope"] not in form.scopes:
        raise Http404
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, Choice(
        project=data["project"], scope=form.chosen_scope, start=data["start"], end=data["end"]
    )


def panels(user: AnyUser, choice: Choice, today: datetime.date) -> list[Panel]:
    """The charts of the dashboard, in the order of the page. The number of queries does not
    depend on the data (about fifteen)."""
    part: Slice = slice_for(choice.scope, choice.project, choice.start, choice.end)
    moves = flow(part)
    contacts = (
        contacts_per_partner(part) if choice.scope.kind == "network" else contacts_per_staff(part, user)
    )
    return [
        Panel("flow-month", per_month(moves, part), kind="columns"),
        Panel("flow-region", by_region(moves)),
        Panel("flow-partner", by_partner(moves)),
        Panel("barriers", barriers_first_and_latest(part)),
        Panel("referrals", referrals_by_type_and_outcome(part), stacked=True),
        Panel("placements", placements_by_type(part)),
        Panel("placements-six-months", placements_after_six_months(part, today)),
        Panel("contacts", contacts),
        Panel("trainings", trainings(part).reached),
    ]


def dashboard_tables(user: AnyUser, params: Any, today: datetime.date) -> list[Table]:
    """For the export: the charts' tables (404 outside the user's scope, ValidationError for
    a bad period)."""
    form, choice = checked_choice(user, params)
    if choice is None:
        raise ValidationError(form.errors.as_text())
    return [panel.table for panel in panels(user, choice, today)]
