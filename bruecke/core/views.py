from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read_all
from bruecke.core.audit_forms import AuditFilterForm
from bruecke.core.selectors import AuditFilter, audit_events_filtered
from bruecke.core.views_helpers import paginate


def home(request: HttpRequest) -> HttpResponse:
    return redirect("core:dashboard" if request.user.is_authenticated else "accounts:login")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The start page: the sections of every role the user has (see docs/user-guide/mein-tag.md)."""
    user: User = request.user  # type: ignore[assignment]
    today = timezone.localdate()
    memberships = access.memberships(user)
    context: dict[str, Any] = {
        "memberships": memberships,
        "today": today,
        "is_team_lead": access.has_perm(user, Perm.VIEW_TEAM_CASELOADS),
    }
    shown: list[Any] = []
    if access.has_perm(user, Perm.VIEW_PERSONAL_DATA):
        shown += _case_work(request, user, today, context)
    if access.has_perm(user, Perm.EDIT_PARTICIPANTS):
        from bruecke.cases.selectors.transfer import incoming_transfer_count

        context["incoming_transfers"] = incoming_transfer_count(user)
    if context["is_team_lead"]:
        shown += _team_lead(user, today, context)
    if access.has_perm(user, Perm.MANAGE_PLACEMENT):
        shown += _placement(user, today, context, team=context["is_team_lead"])
    if access.has_perm(user, Perm.RECORD_CASE_WORK):
        from bruecke.offers.selectors.dashboard_school import dashboard_school

        shown += dashboard_school(user, today, context)
    if access.has_perm(user, Perm.MANAGE_BREACHES):
        from bruecke.privacy.selectors import open_breaches

        context["open_breaches"] = open_breaches(user)
        context["now"] = timezone.now()
    if access.has_perm(user, Perm.VIEW_AGGREGATES):
        from bruecke.reporting.selectors.dashboard_start import start_page_figures

        # Counts only (the coordinator's start page shows no personal data).
        context["reporting"] = start_page_figures(user, today)
    context["can_view_audit"] = access.has_perm(user, Perm.VIEW_AUDIT)
    context["can_manage_network"] = access.has_perm(user, Perm.MANAGE_NETWORK)
    if shown:
        audit_read_all(actor=user, objs=shown)
    return render(request, "core/dashboard.html", context)


def _case_work(request: HttpRequest, user: User, today: datetime.date, context: dict[str, Any]) -> list[Any]:
    """Everyone who works with cases: my open cases, "my day" (overdue and due tasks and plan
    steps), expiring residence documents and my cases without contact. Returns the records
    shown (for the read audit)."""
    from bruecke.cases.forms.caseload import DEFAULT_WEEKS
    from bruecke.cases.selectors import caseload
    from bruecke.cases.selectors.tasks import MY_DAY_AHEAD, my_day
    from bruecke.participants.selectors import EXPIRY_URGENT, expiring_documents

    cases = Paginator(caseload.my_open_cases(user), caseload.MY_CASES_PER_PAGE).get_page(
        request.GET.get("cases_page")
    )
    stale = list(caseload.stale_cases_of(user, user, DEFAULT_WEEKS, today)[: caseload.STALE_ON_DASHBOARD + 1])
    expiring = list(expiring_documents(user, today)[:20])
    tasks = my_day(user, today)
    context |= {
        "my_cases": cases,
        "expiring": expiring,
        "urgent_until": today + EXPIRY_URGENT,
        "my_day": tasks,
        "my_day_until": today + MY_DAY_AHEAD,
        "task_back": request.get_full_path(),
        "my_stale": stale[: caseload.STALE_ON_DASHBOARD],
        "my_stale_more": len(stale) > caseload.STALE_ON_DASHBOARD,
        "stale_weeks": DEFAULT_WEEKS,
        "stale_since": today - datetime.timedelta(weeks=DEFAULT_WEEKS),
    }
    from bruecke.offers.selectors.dashboard_referrals import dashboard_referrals

    referrals_context, referrals = dashboard_referrals(user, today)
    context |= referrals_context
    return [*cases, *expiring, *tasks, *stale, *referrals]


def _team_lead(user: User, today: datetime.date, context: dict[str, Any]) -> list[Any]:
    """The team lead: the team's caseload figures (one query) and its cases without contact."""
    from bruecke.cases.forms.caseload import DEFAULT_WEEKS
    from bruecke.cases.selectors import caseload

    rows = list(caseload.caseload_rows(user, DEFAULT_WEEKS, today))
    stale = list(caseload.team_stale_cases(user, DEFAULT_WEEKS, today)[: TEAM_STALE_LIMIT + 1])
    context |= {
        "team_rows": rows,
        "team_totals": {
            key: sum(getattr(row, key) for row in rows)
            for key in ("open_cases", "recent_contacts", "stale_cases", "overdue_plan_steps", "overdue_tasks")
        },
        "team_stale": stale[:TEAM_STALE_LIMIT],
        "team_stale_more": len(stale) > TEAM_STALE_LIMIT,
        "stale_weeks": DEFAULT_WEEKS,
    }
    return stale


TEAM_STALE_LIMIT = 10


def _placement(user: User, today: datetime.date, context: dict[str, Any], *, team: bool) -> list[Any]:
    """Placement officers and team leads: the own organisation's open opportunities, the
    pipeline by stage and the follow-ups due (of the cases assigned to the placement officer,
    of the team for a team lead), employers not contacted for a while. Six queries; returns
    the placements whose follow-ups show a participant's name (for the read audit)."""
    from bruecke.placement.selectors import dashboard as placement

    weeks = placement.stale_weeks()
    opportunities = placement.open_opportunities(user)
    follow_ups = list(placement.follow_ups_due(user, today, team=team)[: placement.FOLLOW_UPS_SHOWN + 1])
    employers = placement.stale_employers(user, today, weeks)
    context["placement"] = {
        "team": team,
        "opportunity_count": opportunities.count(),
        "opportunities": list(opportunities[: placement.NEXT_OPPORTUNITIES]),
        "pipeline": placement.pipeline_by_stage(user, team=team),
        "follow_ups": follow_ups[: placement.FOLLOW_UPS_SHOWN],
        "follow_ups_more": len(follow_ups) > placement.FOLLOW_UPS_SHOWN,
        "employer_count": employers.count(),
        "employers": list(employers[: placement.STALE_EMPLOYERS_SHOWN]),
        "stale_weeks": weeks,
    }
    return [check_in.placement for check_in in follow_ups[: placement.FOLLOW_UPS_SHOWN]]


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_AUDIT)
    user: User = request.user  # type: ignore[assignment]
    form = AuditFilterForm(request.GET or None, user=user)
    # Invalid filters show their errors and an empty filter's results, never a 500.
    selected = form.to_filter() if form.is_valid() else AuditFilter()
    page = paginate(request, audit_events_filtered(user, selected))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit_log.html", {"form": form, "page": page, "query": query.urlencode()})


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
