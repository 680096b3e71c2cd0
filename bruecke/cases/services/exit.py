"""Closing a case with the ESF exit questionnaire, its correction, and the 6-month follow-up.

Each service runs in one transaction: the case's status, the ESF records, the timeline
event and the follow-up task are written together or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, EventKind, StepStatus, Task, TaskSource
from bruecke.cases.selectors.exit import open_steps, open_tasks
from bruecke.cases.services.plan import plan_steps_settle
from bruecke.cases.services.tasks import check_assignee, task_complete, task_sync
from bruecke.cases.services.timeline import record_event
from bruecke.core.audit import object_type_of
from bruecke.core.locking import check_version
from bruecke.core.services import model_delete, model_update
from bruecke.esf import exit_services
from bruecke.esf.exit_models import ExitRecord, FollowUp
from bruecke.esf.exit_services import SituationInput
from bruecke.placement.services.match_profiles import refresh_for_case


def sync_follow_up_task(*, actor: User | None, record: ExitRecord, case: Case, done: bool) -> Task:
    """The reminder for the follow-up six months after exit (§11.8), due on the reference date."""
    return task_sync(
        actor=actor,
        source=record,
        source_kind=TaskSource.FOLLOW_UP,
        case=case,
        assignee=case.case_manager,
        title=_("ESF follow-up six months after exit"),
        due_on=record.follow_up_due,
        done=done,
    )


class OpenItemAction:
    DONE = "done"
    CANCEL = "cancel"
    HAND_OVER = "hand_over"


@dataclass(frozen=True)
class OpenItems:
    """What the user decided at exit for each open task and plan step of the case.

    `tasks` maps a task's id to (action, version the form was loaded with, new assignee);
    `steps` maps a step's id to DONE or CANCEL; `plan_version` locks the plan."""

    tasks: Mapping[int, tuple[str, int | None, User | None]]
    steps: Mapping[int, str]
    plan_version: int | None = None


def _settle_open_items(*, actor: User, case: Case, items: OpenItems, on: datetime.date) -> None:
    """Every open task and step must have a decision: one added or finished meanwhile makes
    the form stale, and nothing is saved (the caller's transaction rolls back)."""
    tasks = {t.pk: t for t in open_tasks(case).select_for_update(of=("self",))}
    steps = set(open_steps(case).values_list("pk", flat=True))
    if set(tasks) != set(items.tasks) or steps != set(items.steps):
        raise ValidationError(
            _(
                "The open tasks or plan steps of this case have changed since you opened the form. "
                "Nothing has been saved; please check them again."
            )
        )
    for pk, (action, version, assignee) in items.tasks.items():
        task = tasks[pk]
        check_version(task, version)
        if action == OpenItemAction.DONE:
            task_complete(actor=actor, task=task, done_on=on)
        elif action == OpenItemAction.CANCEL:
            model_delete(actor=actor, instance=task)
        else:
            assert assignee is not None
            check_assignee(task.organisation_id, case, assignee, field=f"task_{pk}_to")
            model_update(actor=actor, instance=task, data={"assignee": assignee}, expected_version=version)
    statuses = {OpenItemAction.DONE: StepStatus.DONE, OpenItemAction.CANCEL: StepStatus.DROPPED}
    plan_steps_settle(
        actor=actor,
        case=case,
        decisions={pk: statuses[action] for pk, action in items.steps.items()},
        on=on,
        expected_version=items.plan_version,
    )


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    exit_data: Mapping[str, Any],
    situations: Sequence[SituationInput],
    open_items: OpenItems | None = None,
) -> ExitRecord:
    """Closes the case on the exit date with the ESF exit questionnaire; a closed case
    is refused. The participant may later get a new case (re-entry).

    `open_items` settles the case's open tasks and plan steps in the same transaction (the
    exit form always passes it; None leaves them, for the demo data only)."""
    locked = Case.objects.select_for_update().select_related("participant").get(pk=case.pk)
    if locked.status == CaseStatus.CLOSED or ExitRecord.objects.filter(case=locked).exists():
        raise ValidationError(_("This case is already closed."))
    if open_items is not None:
        # Done on the exit date (not later than today: the exit date is checked afterwards).
        on = min(exit_data.get("exit_date") or datetime.date.today(), datetime.date.today())
        _settle_open_items(actor=actor, case=locked, items=open_items, on=on)
    record = exit_services.exit_record_create(actor=actor, case=locked, data=exit_data, situations=situations)
    closed, _changed = model_update(
        actor=actor,
        instance=locked,
        # A paused case may be closed; the pause has ended with it.
        data={"status": CaseStatus.CLOSED, "closed_on": record.exit_date, "pause_reason": ""},
    )
    record_event(
        actor=actor,
        case=closed,
        kind=EventKind.CLOSED,
        occurred_on=record.exit_date,
        obj=record,
        details={"reason": record.exit_reason},
    )
    sync_follow_up_task(actor=actor, record=record, case=closed, done=False)
    refresh_for_case(closed)  # a closed case leaves matching
    return record


def _task_done(record: ExitRecord) -> bool:
    return Task.objects.filter(
        source_type=object_type_of(record), source_id=str(record.pk), done_on__isnull=False
    ).exists()


@transaction.atomic
def exit_correct(
    *,
    actor: User,
    record: ExitRecord,
    exit_data: Mapping[str, Any],
    situations: Sequence[SituationInput],
    expected_version: int | None,
) -> ExitRecord:
    """A later correction of the exit questionnaire (optimistic locking). A new exit date
    moves the case's closing date and the follow-up task's due date."""
    updated = exit_services.exit_record_update(
        actor=actor, record=record, data=exit_data, situations=situations, expected_version=expected_version
    )
    case = Case.objects.select_related("case_manager").get(pk=updated.case_id)
    if case.closed_on != updated.exit_date:
        case, _changed = model_update(actor=actor, instance=case, data={"closed_on": updated.exit_date})
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.CLOSED,
        obj=updated,
        details={"reason": updated.exit_reason, "correction": True},
    )
    sync_follow_up_task(actor=actor, record=updated, case=case, done=_task_done(updated))
    return updated


@transaction.atomic
def follow_up_record(*, actor: User, record: ExitRecord, data: Mapping[str, Any]) -> FollowUp:
    """An answer to the 6-month follow-up; the follow-up task is done with it."""
    follow_up = exit_services.follow_up_create(actor=actor, record=record, data=data)
    case = Case.objects.select_related("case_manager").get(pk=record.case_id)
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.FOLLOW_UP,
        occurred_on=follow_up.answered_on,
        obj=follow_up,
        details={"answer": follow_up.employed},
    )
    sync_follow_up_task(actor=actor, record=record, case=case, done=True)
    return follow_up


@transaction.atomic
def follow_up_correct(
    *, actor: User, follow_up: FollowUp, data: Mapping[str, Any], expected_version: int | None
) -> FollowUp:
    updated = exit_services.follow_up_update(
        actor=actor, follow_up=follow_up, data=data, expected_version=expected_version
    )
    record_event(
        actor=actor,
        case=updated.exit_record.case,
        kind=EventKind.FOLLOW_UP,
        obj=updated,
        details={"answer": updated.employed, "correction": True},
    )
    return updated
