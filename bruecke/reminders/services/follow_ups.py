"""Step 3: follow-ups due.

(a) The ESF follow-up six months after exit (§11.8) has a task from the closing of the
case on (`cases.services.exit`). An exit record still waiting for its answer whose task is
missing (closed before the task existed, or the task was lost) gets it again, as long as
answers still count (reference date + 28 days).

(b) Open tasks that have come due (due today, or in the last days if a run was missed)
are announced to their assignee by one e-mail per person and run: how many, and a link to
the task list; never the titles, which are free text about participants. Once per task
and due date (a `Notice`; a task whose due date is moved is announced again when due).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from functools import partial

from django.db import transaction

from bruecke.cases.models import CaseStatus, Task
from bruecke.cases.services.exit import sync_follow_up_task
from bruecke.esf import results
from bruecke.esf.exit_models import ExitRecord
from bruecke.reminders import mails
from bruecke.reminders.items import Items
from bruecke.reminders.models import Notice, NoticeKind
from bruecke.reminders.services.runs import notice_claim

# A run missed for up to a week still announces the tasks that came due meanwhile.
TASK_NOTICE_LOOKBACK = datetime.timedelta(days=7)
TASK_TYPE = Task._meta.label_lower
EXIT_TYPE = ExitRecord._meta.label_lower


def follow_up_tasks(*, today: datetime.date) -> dict[str, int]:
    """(a): restores the missing follow-up tasks of exit records awaiting their answer."""
    items = Items("follow_up_tasks")
    for record in _awaiting_without_task(today):
        last_day = record.follow_up_due + datetime.timedelta(days=results.FOLLOW_UP_TOLERANCE_DAYS)
        if today <= last_day:
            items.run(partial(_restore_one, record))
    return items.result()


def _awaiting_without_task(today: datetime.date) -> list[ExitRecord]:
    # Coarse in SQL (six months are at most 184 days), exact in Python (calendar months).
    oldest_exit = today - datetime.timedelta(days=184 + results.FOLLOW_UP_TOLERANCE_DAYS)
    awaiting = list(
        ExitRecord.objects.filter(exit_date__gte=oldest_exit, follow_ups__isnull=True)
        .select_related("case__case_manager", "case__organisation")
        .order_by("pk")
    )
    with_task = set(
        Task.objects.filter(source_type=EXIT_TYPE, source_id__in=[str(r.pk) for r in awaiting]).values_list(
            "source_id", flat=True
        )
    )
    return [record for record in awaiting if str(record.pk) not in with_task]


@transaction.atomic
def _restore_one(record: ExitRecord) -> str:
    # The record's row lock makes concurrent runs take turns; the second finds the task.
    ExitRecord.objects.select_for_update().filter(pk=record.pk).exists()
    if Task.objects.filter(source_type=EXIT_TYPE, source_id=str(record.pk)).exists():
        return "made_by_other_run"
    sync_follow_up_task(actor=None, record=record, case=record.case, done=False)
    return "created"


def task_due_notices(*, today: datetime.date) -> dict[str, int]:
    """(b): one e-mail per assignee with tasks that came due and were not announced yet."""
    items = Items("task_due_notices")
    for assignee_id, tasks in _unannounced_due_tasks(today).items():
        items.run(partial(_announce_counted, assignee_id, tasks, items.counts))
    return items.result(drop=("nothing_new",))


def _announce_counted(assignee_id: int, tasks: list[Task], counts: Counter[str]) -> str:
    announced = _announce(assignee_id, tasks)  # counted once its mail has gone out
    counts["tasks_announced"] += announced
    return "mails" if announced else "nothing_new"


def _unannounced_due_tasks(today: datetime.date) -> dict[int, list[Task]]:
    due = (
        Task.objects.filter(
            done_on__isnull=True,
            due_on__range=(today - TASK_NOTICE_LOOKBACK, today),
            assignee__is_active=True,
        )
        .exclude(assignee__email="")
        .exclude(case__status=CaseStatus.CLOSED)
        .order_by("assignee_id", "due_on", "pk")
    )
    tasks = list(due.only("pk", "assignee_id", "due_on", "organisation_id"))
    announced = set(
        Notice.objects.filter(
            kind=NoticeKind.TASK_DUE, object_type=TASK_TYPE, object_id__in=[str(t.pk) for t in tasks]
        ).values_list("object_id", "occasion")
    )
    by_assignee: dict[int, list[Task]] = defaultdict(list)
    for task in tasks:
        if (str(task.pk), task.due_on.isoformat()) not in announced:
            by_assignee[task.assignee_id].append(task)
    return by_assignee


@transaction.atomic
def _announce(assignee_id: int, tasks: list[Task]) -> int:
    claims = (
        notice_claim(kind=NoticeKind.TASK_DUE, about=task, occasion=task.due_on.isoformat(), recipients=1)
        for task in tasks
    )
    claimed = [notice for notice in claims if notice is not None]
    if claimed:
        mails.send_on_commit(
            notice_pks=[notice.pk for notice in claimed],
            template="tasks_due",
            recipients=[assignee_id],
            context={"count": len(claimed), "link": mails.link("cases:task_list")},
        )
    return len(claimed)
