"""Tasks and reminders: free tasks by staff, and tasks kept in sync with their source."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, Task, TaskSource
from bruecke.core.audit import object_type_of
from bruecke.core.services import model_create, model_delete, model_update


@transaction.atomic
def task_create(*, actor: User, task: Task) -> Task:
    """A task written by staff (free, or on a case); the organisation comes from the case."""
    if task.case is not None:
        task.organisation = task.case.organisation
    task.created_by = actor
    return model_create(actor=actor, instance=task)


@transaction.atomic
def task_complete(*, actor: User, task: Task, done_on: datetime.date | None = None) -> Task:
    if task.done_on is not None:
        raise ValidationError(_("This task is already done."))
    updated, _changed = model_update(
        actor=actor, instance=task, data={"done_on": done_on or datetime.date.today(), "done_by": actor}
    )
    return updated


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    updated, _changed = model_update(actor=actor, instance=task, data={"done_on": None, "done_by": None})
    return updated


@transaction.atomic
def task_sync(
    *,
    actor: User | None,
    source: models.Model,
    source_kind: TaskSource,
    case: Case,
    assignee: User,
    title: str,
    due_on: datetime.date,
    done: bool = False,
) -> Task:
    """Creates or updates the one task that belongs to `source` (a plan step, a document,
    an exit). Services of those records call this in their own transaction."""
    source_type, source_id = object_type_of(source), str(source.pk)
    task = Task.objects.select_for_update().filter(source_type=source_type, source_id=source_id).first()
    done_on = (task.done_on if task and task.done_on else datetime.date.today()) if done else None
    values = {
        "case": case,
        "organisation": case.organisation,
        "assignee": assignee,
        "title": title[:200],
        "due_on": due_on,
        "source": source_kind,
        "done_on": done_on,
        "done_by": (task.done_by if task and task.done_on else actor) if done else None,
    }
    if task is None:
        return model_create(
            actor=actor,
            instance=Task(source_type=source_type, source_id=source_id, created_by=actor, **values),
        )
    if actor is None:
        raise ValueError("Updating a generated task needs the acting user.")
    updated, _changed = model_update(actor=actor, instance=task, data=values)
    return updated


@transaction.atomic
def task_remove_for(*, actor: User, source: models.Model) -> None:
    """Removes the task of a source that no longer needs one (e.g. a deleted plan step)."""
    task = Task.objects.filter(source_type=object_type_of(source), source_id=str(source.pk)).first()
    if task is not None:
        model_delete(actor=actor, instance=task)
