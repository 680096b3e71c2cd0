"""Step 1: a reminder task for each participant's residence document that expires soon.

One task per document (the task's source is the `ResidenceStatus`), for the case manager
of the participant's open case, due RESIDENCE_REMINDER_DAYS before the document expires
(never before the day the reminder was made). A repeated run updates the task (due date,
assignee, title after a correction) instead of adding one. A done task stays done. When a
newer document replaces the one a task is about, the task is done; when the document no
longer expires in the window (date corrected or removed) or is gone, the task goes. An
expired document's open task stays open: it is overdue and needs someone to act.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.cases.models import Case, CaseStatus, Task, TaskSource
from bruecke.cases.services.tasks import task_sync
from bruecke.core.services import model_delete, model_update
from bruecke.participants.models import ResidenceStatus
from bruecke.reminders.items import Items

BATCH = 500
SOURCE_TYPE = ResidenceStatus._meta.label_lower


def residence_reminders(*, today: datetime.date) -> dict[str, int]:
    """Creates or updates the reminders in the window, then settles the open ones that no
    longer apply. Returns counts only.

    Most days most reminders are already right: they are compared in memory, batch by
    batch, and only a reminder that needs a change gets its own locked transaction (which
    checks again)."""
    items = Items("residence_reminders")
    window_end = today + datetime.timedelta(days=settings.RESIDENCE_REMINDER_DAYS)
    for pairs in _expiring(today, window_end):
        tasks = _tasks_of([document.pk for _case, document in pairs])
        for case, document in pairs:
            items.run(partial(_check_one, case, document, tasks.get(str(document.pk)), today))
    for batch in _open_reminders():
        decisions = _settlements(batch, window_end)
        for task in batch:
            if decisions[task.pk] != "kept":
                items.run(partial(_settle_one, task, today, window_end))
    return items.result(drop=("kept",))


def _expiring(
    today: datetime.date, window_end: datetime.date
) -> Iterator[list[tuple[Case, ResidenceStatus]]]:
    """Batches of (open case, current document) for each participant whose current document
    expires in the window; a participant with open cases at several partners (after a
    transfer) is reminded at the partner the participant belongs to."""
    cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(participant__current_valid_until__range=(today, window_end))
        .select_related("participant", "case_manager")
        .order_by("participant_id", "opened_on", "id")
    )
    chosen: dict[int, Case] = {}
    for case in cases.iterator(chunk_size=BATCH):
        current = chosen.get(case.participant_id)
        if current is None or (
            current.organisation_id != case.participant.organisation_id
            and case.organisation_id == case.participant.organisation_id
        ):
            chosen[case.participant_id] = case
    for batch in _batches(list(chosen), BATCH):
        yield [(chosen[pid], document) for pid, document in _current_documents(batch).items()]


def _current_documents(participant_ids: list[int]) -> dict[int, ResidenceStatus]:
    """The newest document of each participant (as participants.services keeps current)."""
    newest: dict[int, ResidenceStatus] = {}
    documents = ResidenceStatus.objects.filter(participant_id__in=participant_ids).order_by(
        "participant_id", "-issued_on", "-id"
    )
    for document in documents:
        newest.setdefault(document.participant_id, document)
    return newest


def _tasks_of(document_ids: list[int]) -> dict[str, Task]:
    found = Task.objects.filter(source_type=SOURCE_TYPE, source_id__in=[str(pk) for pk in document_ids])
    return {task.source_id: task for task in found}


def _batches(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _title(document: ResidenceStatus) -> str:
    assert document.valid_until is not None
    return _("Residence document expires on %(date)s: %(status)s") % {
        "date": document.valid_until.strftime("%d.%m.%Y"),
        "status": document.get_status_display(),
    }


def _due_on(document: ResidenceStatus, made_on: datetime.date) -> datetime.date:
    assert document.valid_until is not None
    return max(document.valid_until - datetime.timedelta(days=settings.RESIDENCE_REMINDER_DAYS), made_on)


def _wanted(case: Case, document: ResidenceStatus, task: Task | None, today: datetime.date) -> dict[str, Any]:
    made_on = timezone.localdate(task.created_at) if task is not None else today
    return {
        "case_id": case.pk,
        "assignee_id": case.case_manager_id,
        "title": _title(document)[:200],
        "due_on": _due_on(document, made_on),
    }


def _check_one(case: Case, document: ResidenceStatus, task: Task | None, today: datetime.date) -> str:
    if task is not None and task.done_on is not None:
        return "already_done"
    wanted = _wanted(case, document, task, today)
    if task is not None and all(getattr(task, name) == value for name, value in wanted.items()):
        return "unchanged"
    return _sync_one(case, document, today)


@transaction.atomic
def _sync_one(case: Case, document: ResidenceStatus, today: datetime.date) -> str:
    # The document's row lock makes concurrent runs take turns here; the second then
    # finds the task the first created (PostgreSQL; SQLite writes one at a time anyway).
    if not ResidenceStatus.objects.select_for_update().filter(pk=document.pk).exists():
        return "document_gone"
    existing = Task.objects.filter(source_type=SOURCE_TYPE, source_id=str(document.pk)).first()
    if existing is not None and existing.done_on is not None:
        return "already_done"
    task = task_sync(
        actor=None,
        source=document,
        source_kind=TaskSource.RESIDENCE_EXPIRY,
        case=case,
        assignee=case.case_manager,
        title=_title(document),
        due_on=_wanted(case, document, existing, today)["due_on"],
    )
    if existing is None:
        return "created"
    return "updated" if task.version != existing.version else "unchanged"


def _open_reminders() -> Iterator[list[Task]]:
    open_tasks = Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY, done_on__isnull=True)
    batch: list[Task] = []
    for task in open_tasks.select_related("case").order_by("pk").iterator(chunk_size=BATCH):
        batch.append(task)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _settlements(tasks: list[Task], window_end: datetime.date) -> dict[int, str]:
    """What each open reminder needs, decided in memory for a batch (three queries)."""
    ids = [int(t.source_id) for t in tasks if t.source_type == SOURCE_TYPE and t.source_id.isdigit()]
    documents = {str(d.pk): d for d in ResidenceStatus.objects.filter(pk__in=ids)}
    newest = _current_documents(sorted({d.participant_id for d in documents.values()}))
    return {task.pk: _settlement(task, documents.get(task.source_id), newest, window_end) for task in tasks}


def _settlement(
    task: Task,
    document: ResidenceStatus | None,
    newest: dict[int, ResidenceStatus],
    window_end: datetime.date,
) -> str:
    if document is None:
        return "removed"
    if task.case is not None and task.case.status == CaseStatus.CLOSED:
        return "kept"  # the exit settles a closed case's tasks
    if newest[document.participant_id].pk != document.pk:
        return "done_by_newer_document"
    if document.valid_until is None or document.valid_until > window_end:
        return "removed"
    return "kept"


@transaction.atomic
def _settle_one(task: Task, today: datetime.date, window_end: datetime.date) -> str:
    """Locks the reminder, decides again on what is stored now, and acts."""
    locked = Task.objects.select_for_update().filter(pk=task.pk, done_on__isnull=True).first()
    if locked is None:
        return "settled_by_other_run"  # a concurrent run did it a moment ago
    decision = _settlements([task], window_end)[task.pk]
    if decision == "removed":
        model_delete(actor=None, instance=locked)
    elif decision == "done_by_newer_document":
        model_update(actor=None, instance=locked, data={"done_on": today, "done_by": None})
    return decision
