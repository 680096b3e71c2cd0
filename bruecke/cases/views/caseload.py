"""The caseload view: figures per staff member, and the cases without recent contact."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bruecke.cases.forms.caseload import CaseloadFilterForm
from bruecke.cases.selectors import caseload as selectors
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.views_helpers import paginate


def _filter(request: HttpRequest) -> tuple[CaseloadFilterForm, int]:
    # Invalid input shows its error next to the field and the default figures, never a 500.
    form = CaseloadFilterForm(request.GET if "weeks" in request.GET else None)
    return form, form.weeks_or_default()


# The columns the caseload can be sorted by (`?sort=<key>`, `-<key>` descending): a
# whitelist, so the query string never names a database column itself.
SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "open_cases": ("open_cases", "last_name", "pk"),
    "recent_contacts": ("recent_contacts", "last_name", "pk"),
    "stale_cases": ("stale_cases", "last_name", "pk"),
    "overdue_plan_steps": ("overdue_plan_steps", "last_name", "pk"),
    "overdue_tasks": ("overdue_tasks", "last_name", "pk"),
}


def _sort(request: HttpRequest) -> tuple[str, bool]:
    """The chosen sort column and whether it is descending; by name when unknown."""
    wanted = request.GET.get("sort", "")
    key = wanted.removeprefix("-")
    return (key, wanted.startswith("-")) if key in SORTS else ("name", False)


def _ordering(key: str, descending: bool) -> list[str]:
    first, *rest = SORTS[key]
    return [f"-{first}" if descending else first, *rest]


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    form, weeks = _filter(request)
    sort, descending = _sort(request)
    rows = list(
        selectors.caseload_rows(request.user, weeks, datetime.date.today()).order_by(
            *_ordering(sort, descending)
        )
    )
    totals = {key: sum(getattr(row, key) for row in rows) for key in SORTS if key != "name"}
    context = {
        "form": form,
        "weeks": weeks,
        "rows": rows,
        "totals": totals,
        "sort": sort,
        "descending": descending,
        "filter_query": f"weeks={weeks}",
        "whole_team": access.has_perm(request.user, Perm.VIEW_TEAM_CASELOADS),
    }
    return render(request, "cases/caseload.html", context)


@login_required
def caseload_stale(request: HttpRequest, staff_pk: int) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    staff = access.get_or_404(selectors.caseload_staff(request.user), pk=staff_pk)
    form, weeks = _filter(request)
    page = paginate(request, selectors.stale_cases_of(request.user, staff, weeks, datetime.date.today()))
    if page.object_list:  # the rows name participants: a read event each (decision 0021)
        audit_read_all(actor=request.user, objs=page.object_list)  # type: ignore[arg-type]
    context = {"form": form, "weeks": weeks, "staff": staff, "page": page, "query": f"weeks={weeks}"}
    return render(request, "cases/caseload_stale.html", context)
