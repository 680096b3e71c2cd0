"""The dashboard's charts as tables for the exports (CSV, XLSX, PDF)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.reporting.dashboard import dashboard_tables
from bruecke.reporting.registry import register_report
from bruecke.reporting.scope import require_reporting
from bruecke.reporting.tables import Table


@register_report("dashboard", "Dashboard")
def build_dashboard(user: User, params: dict[str, Any]) -> list[Table]:
    require_reporting(user)
    if not params.get("project"):
        raise Http404
    return dashboard_tables(user, params, timezone.localdate())
