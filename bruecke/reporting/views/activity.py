"""The activity report (Sachbericht): figures of a project, period and scope."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from bruecke.reporting.activity import activity_figures
from bruecke.reporting.builders.activity import activity_tables
from bruecke.reporting.forms import ReportChoiceForm, default_choice
from bruecke.reporting.scope import require_reporting


@login_required
def activity(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    params = request.GET if "project" in request.GET else default_choice(request.user, datetime.date.today())
    if params is None:
        raise Http404
    form = ReportChoiceForm(request.user, params)
    tables = []
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        figures = activity_figures(data["project"], form.chosen_scope, data["start"], data["end"])
        tables = activity_tables(figures)
    elif {"project", "scope"} & set(form.errors):
        raise Http404  # a forged project or scope: as for any record outside the user's scope
    else:
        status = 400
    return render(
        request,
        "reporting/activity/report.html",
        {
            "form": form,
            "tables": tables,
            "query": form.data.urlencode() if hasattr(form.data, "urlencode") else "",
        },
        status=status,
    )
