"""The reports section's start page: what the user may produce, by area."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.reporting.scope import projects_for, require_reporting


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    return render(
        request,
        "reporting/index.html",
        {
            "projects": list(projects_for(request.user)),
            "can_manage_projects": access.has_perm(request.user, Perm.MANAGE_PROJECTS),
        },
    )
