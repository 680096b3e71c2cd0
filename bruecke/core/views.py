from __future__ import annotations

from django.contrib.auth.decorators import login_required
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
    from bruecke.cases.selectors.tasks import MY_DAY_AHEAD, my_day
    from bruecke.participants.selectors import EXPIRY_URGENT, expiring_documents

    today = timezone.localdate()
    context = {"memberships": access.memberships(request.user), "today": today}
    if access.has_perm(request.user, Perm.VIEW_PERSONAL_DATA):
        expiring = list(expiring_documents(request.user, today)[:20])
        tasks = my_day(request.user, today)
        context["expiring"] = expiring
        context["urgent_until"] = today + EXPIRY_URGENT
        context["my_day"] = tasks
        context["my_day_until"] = today + MY_DAY_AHEAD
        context["task_back"] = request.get_full_path()
        audit_read_all(actor=request.user, objs=[*expiring, *tasks])  # type: ignore[arg-type]
    if access.has_perm(request.user, Perm.EDIT_PARTICIPANTS):
        from bruecke.cases.selectors.transfer import incoming_transfer_count

        context["incoming_transfers"] = incoming_transfer_count(request.user)
    if access.has_perm(request.user, Perm.MANAGE_BREACHES):
        from bruecke.privacy.selectors import open_breaches

        context["open_breaches"] = open_breaches(request.user)
        context["now"] = timezone.now()
    return render(request, "core/dashboard.html", context)


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
