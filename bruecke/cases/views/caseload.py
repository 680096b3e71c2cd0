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
from bruecke.core.views_helpers import paginate


def _filter(request: HttpRequest) -> tuple[CaseloadFilterForm, int]:
    # Invalid input shows its error next to the field and the default figures, never a 500.
    form = CaseloadFilterForm(request.GET if "weeks" in request.GET else None)
    return form, form.weeks_or_default()


@login_required
def caseload(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    form, weeks = _filter(request)
    rows = list(selectors.caseload_rows(request.user, weeks, datetime.date.today()))
    context = {
        "form": form,
        "weeks": weeks,
        "rows": rows,
        "whole_team": access.has_perm(request.user, Perm.VIEW_TEAM_CASELOADS),
    }
    return render(request, "cases/caseload.html", context)


@login_required
def caseload_stale(request: HttpRequest, staff_pk: int) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    staff = access.get_or_404(selectors.caseload_staff(request.user), pk=staff_pk)
    form, weeks = _filter(request)
    page = paginate(request, selectors.stale_cases_of(request.user, staff, weeks, datetime.date.today()))
    context = {"form": form, "weeks": weeks, "staff": staff, "page": page, "query": f"weeks={weeks}"}
    return render(request, "cases/caseload_stale.html", context)
