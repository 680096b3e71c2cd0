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
from collections import Counter
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.cases.models import Case, CaseStatus, Task, TaskSource
from bruecke.cases.services.tasks import task_sync
from bruecke.core.services import model_delete, model_update
from bruecke.participants.models import ResidenceStatus

BATCH = 500
SOURCE_TYPE = ResidenceStatus._meta.label_lower


def residence_reminders(*, today: datetime.date) -> dict[str, int]:
    """Creates or updates the reminders in the window, then settles the open ones that no
    longer apply. Returns counts only."""
    counts: Counter[str] = Counter()
    window_end = today + datetime.timedelta(days=settings.RESIDENCE_REMINDER_DAYS)
    for case, document in _expiring(today, window_end):
        counts[_sync_one(case, document, today)] += 1
    for task in _open_reminders():
        counts[_settle_one(task, today, window_end)] += 1
    counts.pop("kept", None)
    return dict(counts)


def _expiring(today: datetime.date, window_end: datetime.date) -> Iterator[tuple[Case, ResidenceStatus]]:
    """(open case, current document) for each participant whose current document expires
    in the window; a participant with open cases at several partners (after a transfer)
    is reminded at the partner the participant belongs to."""
    cases = (
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(participant__current_valid_until__range=(today, window_end))
        .select_related("participant", "organisation", "case_manager")
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
        for participant_id, document in _current_documents(batch).items():
            yield chosen[participant_id], document


def _current_documents(participant_ids: list[int]) -> dict[int, ResidenceStatus]:
    """The newest document of each participant (as participants.services keeps current)."""
    newest: dict[int, ResidenceStatus] = {}
    documents = ResidenceStatus.objects.filter(participant_id__in=participant_ids).order_by(
        "participant_id", "-issued_on", "-id"
    )
    for document in documents:
        newest.setdefault(document.participant_id, document)
    return newest


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


@transaction.atomic
def _sync_one(case: Case, document: ResidenceStatus, today: datetime.date) -> str:
    # The document's row lock makes concurrent runs take turns here; the second then
    # finds the task the first created (PostgreSQL; SQLite writes one at a time anyway).
    if not ResidenceStatus.objects.select_for_update().filter(pk=document.pk).exists():
        return "document_gone"
    existing = Task.objects.filter(source_type=SOURCE_TYPE, source_id=str(document.pk)).first()
    if existing is not None and existing.done_on is not None:
        return "already_done"
    made_on = timezone.localdate(existing.created_at) if existing is not None else today
    task = task_sync(
        actor=None,
        source=document,
        source_kind=TaskSource.RESIDENCE_EXPIRY,
        case=case,
        assignee=case.case_manager,
        title=_title(document),
        due_on=_due_on(document, made_on),
    )
    if existing is None:
        return "created"
    return "updated" if task.version != existing.version else "unchanged"


def _open_reminders() -> Iterator[Task]:
    open_tasks = Task.objects.filter(source=TaskSource.RESIDENCE_EXPIRY, done_on__isnull=True)
    return open_tasks.select_related("case").order_by("pk").iterator(chunk_size=BATCH)


@transaction.atomic
def _settle_one(task: Task, today: datetime.date, window_end: datetime.date) -> str:
    # Locked and still open: a concurrent run may have settled it a moment ago.
    locked = Task.objects.select_for_update().filter(pk=task.pk, done_on__isnull=True).first()
    if locked is None:
        return "settled_by_other_run"
    document = (
        ResidenceStatus.objects.filter(pk=task.source_id).select_related("participant").first()
        if task.source_type == SOURCE_TYPE
        else None
    )
    if document is None:
        model_delete(actor=None, instance=task)
        return "removed"
    if task.case is not None and task.case.status == CaseStatus.CLOSED:
        return "kept"  # the exit settles a closed case's tasks
    newest = _current_documents([document.participant_id])[document.participant_id]
    if newest.pk != document.pk:
        model_update(actor=None, instance=task, data={"done_on": today, "done_by": None})
        return "done_by_newer_document"
    if document.valid_until is None or document.valid_until > window_end:
        model_delete(actor=None, instance=task)
        return "removed"
    return "kept"
