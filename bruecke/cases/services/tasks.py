"""Tasks and reminders: free tasks by staff, and tasks kept in sync with their source."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind, Task, TaskSource
from bruecke.cases.selectors.tasks import task_assignees
from bruecke.cases.services.timeline import record_event
from bruecke.core.audit import object_type_of
from bruecke.core.services import model_create, model_delete, model_update


def check_assignee(
    organisation_id: int, case: Case | None, assignee: User, *, field: str = "assignee"
) -> None:
    """Staff tasks go to a colleague of the same organisation who may see the case."""
    if not task_assignees(organisation_id, case).filter(pk=assignee.pk).exists():
        message = (
            _("This colleague cannot see the case.")
            if case is not None
            else _("Choose yourself or a colleague of your organisation.")
        )
        raise ValidationError({field: message})


@transaction.atomic
def task_create(*, actor: User, task: Task) -> Task:
    """A task written by staff (free, or on a case); the organisation comes from the case.

    For a free task the caller sets the organisation (the actor's, shared with the assignee).
    """
    if task.case is not None:
        if task.case.status == CaseStatus.CLOSED:
            raise ValidationError({"case": _("Tasks cannot be added to a closed case.")})
        task.organisation = task.case.organisation
    check_assignee(task.organisation_id, task.case, task.assignee)
    task.source = TaskSource.MANUAL
    task.created_by = actor
    created = model_create(actor=actor, instance=task)
    if created.case is not None:
        # On the case's timeline from the start, not only once done.
        record_event(
            actor=actor,
            case=created.case,
            kind=EventKind.TASK,
            obj=created,
            details={"source": created.source, "created": True},
        )
    return created


def _locked(task: Task) -> Task:
    """The stored row under a lock: two clicks on "done" must not both pass the check."""
    return Task.objects.select_for_update(of=("self",)).select_related("case").get(pk=task.pk)


@transaction.atomic
def task_complete(*, actor: User, task: Task, done_on: datetime.date | None = None) -> Task:
    """Marks a task done; a task of a case leaves a timeline entry (its source kind only:
    titles are free text and may hold personal details)."""
    task = _locked(task)
    if task.done_on is not None:
        raise ValidationError(_("This task is already done."))
    if task.source == TaskSource.PLAN_STEP and task.case is not None:
        return _complete_plan_step(actor, task)
    done_on = done_on or timezone.localdate()
    updated, _changed = model_update(actor=actor, instance=task, data={"done_on": done_on, "done_by": actor})
    if updated.case is not None:
        record_event(
            actor=actor,
            case=updated.case,
            kind=EventKind.TASK,
            occurred_on=done_on,
            obj=updated,
            details={"source": updated.source},
        )
    return updated


def _complete_plan_step(actor: User, task: Task) -> Task:
    """A plan step's task is done when its step is: completing the task completes the step
    (which keeps the task in sync and writes the plan-step event), so the next plan save
    does not reopen it."""
    from bruecke.cases.models import Step
    from bruecke.cases.services.plan import plan_step_complete

    assert task.case is not None
    step = Step.objects.filter(pk=task.source_id, goal__plan__case=task.case).first()
    if step is None:
        raise ValidationError(_("This task is already done."))
    plan_step_complete(actor=actor, case=task.case, step=step)
    return Task.objects.get(pk=task.pk)


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    task = _locked(task)
    if task.done_on is None:
        raise ValidationError(_("This task is still open."))
    if task.case is not None and task.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Tasks of a closed case cannot be reopened."))
    updated, _changed = model_update(actor=actor, instance=task, data={"done_on": None, "done_by": None})
    if updated.case is not None:
        record_event(
            actor=actor,
            case=updated.case,
            kind=EventKind.TASK,
            occurred_on=timezone.localdate(),
            obj=updated,
            details={"source": updated.source, "reopened": True},
        )
    return updated


@transaction.atomic
def task_update(*, actor: User, task: Task, data: dict[str, object], expected_version: int | None) -> Task:
    """Changes an open staff task (title, due date, assignee). Generated tasks follow
    their source (plan step, document, exit) and are changed there."""
    current = _locked(task)
    if current.source != TaskSource.MANUAL:
        raise ValidationError(_("This task comes from its source; change it there."))
    if current.done_on is not None:
        raise ValidationError(_("A done task cannot be changed; reopen it first."))
    if current.case is not None and current.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Tasks of a closed case cannot be changed."))
    if isinstance(assignee := data.get("assignee"), User):
        check_assignee(current.organisation_id, current.case, assignee)
    updated, _changed = model_update(
        actor=actor, instance=current, data=data, expected_version=expected_version
    )
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
    # actor None: the system (the daily run, bruecke.reminders), audited without an actor.
    updated, _changed = model_update(actor=actor, instance=task, data=values)
    return updated


@transaction.atomic
def task_remove_for(*, actor: User | None, source: models.Model) -> None:
    """Removes the task of a source that no longer needs one (e.g. a deleted plan step)."""
    task = Task.objects.filter(source_type=object_type_of(source), source_id=str(source.pk)).first()
    if task is not None:
        model_delete(actor=actor, instance=task)
