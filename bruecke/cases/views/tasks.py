"""Tasks: "My tasks", adding a task (free or on a case), changing it, marking done and
reopening."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.cases.forms.tasks import TaskEditForm, TaskForm
from bruecke.cases.models import Case, Task
from bruecke.cases.selectors import cases as case_selectors
from bruecke.cases.selectors import tasks as selectors
from bruecke.cases.services import tasks as services
from bruecke.cases.views.common import acting_user
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_read, audit_read_all
from bruecke.core.views_helpers import edit_page, local_next, model_data, paginate


def listed_tasks(user: Any, query: Mapping[str, str]) -> tuple[Case | None, QuerySet[Task]]:
    """The case (`?case=<pk>`, 404 outside the user's scope) and the tasks the list shows:
    the user's open or done tasks, or those of the case (the page and its export)."""
    show_done = query.get("done") == "1"
    if "case" in query:
        case = case_selectors.case_get(user, query["case"])
        return case, selectors.case_tasks(user, case, done=show_done)
    return None, selectors.my_done_tasks(user) if show_done else selectors.my_open_tasks(user)


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    """The user's open tasks by due date (overdue, today, next 7 days, later), or done ones;
    with `?case=<pk>` the tasks of that case instead (everyone's, for those who see it)."""
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    today = timezone.localdate()
    show_done = request.GET.get("done") == "1"
    can_record = False
    case, tasks = listed_tasks(request.user, request.GET)
    if case is not None:
        audit_read(actor=acting_user(request), obj=case)
        can_record = (
            case_selectors.cases_visible_to(request.user, Perm.RECORD_CASE_WORK).filter(pk=case.pk).exists()
        )
    page = paginate(request, tasks)
    audit_read_all(actor=acting_user(request), objs=page)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "case": case,
        "can_record": can_record,
        "show_done": show_done,
        "groups": [] if show_done else selectors.group_by_due(page, today),
        "today": today,
        "query": query.urlencode(),
        "case_query": f"case={case.pk}&" if case else "",
        "task_back": request.get_full_path(),
    }
    return render(request, "cases/tasks/list.html", context)


def _task_form_page(request: HttpRequest, *, case: Case | None) -> HttpResponse:
    user = acting_user(request)
    form = TaskForm(request.POST or None, user=user, case=case)
    back = reverse("cases:detail", args=[case.pk]) + "?section=tasks" if case else reverse("cases:task_list")
    title = (
        _("New task for the case of %(name)s") % {"name": case.participant.full_name}
        if case
        else _("New task")
    )
    return edit_page(
        request,
        form=form,
        save=lambda: services.task_create(actor=user, task=form.instance),
        success=lambda task: back,
        title=title,
        context={"cancel_url": back},
        shows=case,
    )


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PERSONAL_DATA)
    return _task_form_page(request, case=None)


@login_required
def case_task_create(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_selectors.case_get(request.user, pk, Perm.RECORD_CASE_WORK)
    return _task_form_page(request, case=case)


@login_required
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an open staff task (assignee, or an editor of its case)."""
    task = selectors.task_get_for_action(request.user, pk)
    form = TaskEditForm(request.POST or None, task=task)
    back = _back(request)
    return edit_page(
        request,
        form=form,
        save=lambda: services.task_update(
            actor=acting_user(request),
            task=task,
            data=model_data(form),
            expected_version=form.loaded_version,
        ),
        success=lambda saved: back,
        title=_("Change task"),
        context={"cancel_url": back, "next": back},
    )


def _back(request: HttpRequest) -> str:
    """Where the user came from (a local address only), else "My tasks"."""
    return local_next(request, reverse("cases:task_list"))


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for_action(request.user, pk)
    try:
        services.task_complete(actor=acting_user(request), task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The task is done."))
    return redirect(_back(request))


@login_required
@require_POST
def task_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for_action(request.user, pk)
    try:
        services.task_reopen(actor=acting_user(request), task=task)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The task has been reopened."))
    return redirect(_back(request))
