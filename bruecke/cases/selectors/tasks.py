"""Reads of tasks through the access module's task rule (see docs/decisions/0010)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, Task
from bruecke.cases.selectors.cases import AnyUser, cases_visible_to
from bruecke.core import access
from bruecke.core.access import Perm

# "My day": what is overdue, due today and in the next days.
MY_DAY_AHEAD = datetime.timedelta(days=3)
MY_DAY_LIMIT = 20
SOON = datetime.timedelta(days=7)
CASE_SECTION_LIMIT = 20


def task_assignees(organisation_id: int, case: Case | None) -> QuerySet[User]:
    """Who may be given a task: staff of the organisation with access to personal data who
    may see the case (any team for a free task)."""
    return access.personal_data_staff(
        [organisation_id], team_id=case.team_id if case else None, any_team=case is None
    )


def tasks_visible_to(user: AnyUser) -> QuerySet[Task]:
    """Tasks the user may see, each with `case_visible`: whether the user may open its case
    (an assignee may not see a case outside their team; then no name is shown)."""
    visible_case = cases_visible_to(user).filter(pk=OuterRef("case_id"))
    return (
        Task.objects.filter(access.task_filter(user))
        .select_related("case__participant", "assignee")
        .annotate(case_visible=Exists(visible_case))
    )


def task_get_for_action(user: AnyUser, pk: object) -> Task:
    """A task the user may mark done or reopen (assignee, or an editor of its case)."""
    queryset = Task.objects.filter(access.task_filter(user, acting=True)).select_related("case")
    return access.get_or_404(queryset, pk=pk)


def my_open_tasks(user: AnyUser) -> QuerySet[Task]:
    return tasks_visible_to(user).filter(assignee_id=user.pk, done_on__isnull=True).order_by("due_on", "id")


def my_done_tasks(user: AnyUser) -> QuerySet[Task]:
    return (
        tasks_visible_to(user).filter(assignee_id=user.pk, done_on__isnull=False).order_by("-done_on", "-id")
    )


def my_day(user: AnyUser, today: datetime.date) -> list[Task]:
    """Overdue tasks and those due within the next days, the most urgent first."""
    return list(my_open_tasks(user).filter(due_on__lte=today + MY_DAY_AHEAD)[:MY_DAY_LIMIT])


def case_open_tasks(user: AnyUser, case: Case) -> QuerySet[Task]:
    return case_tasks(user, case, done=False)


def case_tasks(user: AnyUser, case: Case, *, done: bool) -> QuerySet[Task]:
    tasks = tasks_visible_to(user).filter(case=case, done_on__isnull=not done)
    return tasks.order_by("-done_on", "-id") if done else tasks.order_by("due_on", "id")


def cases_for_new_task(user: AnyUser) -> QuerySet[Case]:
    """A task can be put on an open case on which the user records case work (decision 0037)."""
    return (
        cases_visible_to(user, Perm.RECORD_CASE_WORK)
        .exclude(status=CaseStatus.CLOSED)
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_names", "pk")
    )


@dataclass
class TaskGroup:
    key: str  # overdue, today, soon, later
    tasks: list[Task] = field(default_factory=list)


def group_by_due(tasks: Iterable[Task], today: datetime.date) -> list[TaskGroup]:
    """Splits open tasks (sorted by due date) into overdue / today / next 7 days / later;
    empty groups are left out."""
    groups = {key: TaskGroup(key) for key in ("overdue", "today", "soon", "later")}
    for task in tasks:
        if task.due_on < today:
            key = "overdue"
        elif task.due_on == today:
            key = "today"
        elif task.due_on <= today + SOON:
            key = "soon"
        else:
            key = "later"
        groups[key].tasks.append(task)
    return [group for group in groups.values() if group.tasks]
