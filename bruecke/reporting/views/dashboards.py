"""The dashboard with charts: figures of one project, period and scope (counts only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bruecke.core.routers import replica_reads
from bruecke.reporting.dashboard import checked_choice, panels
from bruecke.reporting.forms import default_choice
from bruecke.reporting.scope import require_reporting


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require_reporting(request.user)
    today = timezone.localdate()
    params = request.GET if request.GET else (default_choice(request.user, today) or {})
    # Counts only, rendered inside the scope: the charts read from the read replica when it
    # is current (decision 0069); the page says how old its data is.
    with replica_reads() as source:
        form, choice = checked_choice(request.user, params) if params else (None, None)
        return render(
            request,
            "reporting/dashboards/dashboard.html",
            {
                "form": form,
                "choice": choice,
                "panels": panels(request.user, choice, today) if choice else [],
                "read_source": source,
            },
        )
