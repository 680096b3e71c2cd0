"""The integration plan: agreeing a version of goals and steps, marking a step done.

`plan_save` writes the whole plan at once (all or nothing) and freezes it as a new
`PlanVersion`. Steps the counsellor is responsible for are mirrored as tasks of the case
manager (`task_sync`); other steps, and removed ones, have none.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import (
    Case,
    CaseStatus,
    EventKind,
    Goal,
    Plan,
    PlanVersion,
    Responsible,
    Step,
    StepStatus,
    TaskSource,
)
from bruecke.cases.services.tasks import task_remove_for, task_sync
from bruecke.cases.services.timeline import record_event
from bruecke.core.audit import audit_record
from bruecke.core.locking import EditConflict, check_version
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create

MAX_YEARS_AHEAD = 5


@dataclass
class StepInput:
    id: int | None
    description: str
    responsible: str
    due_on: datetime.date | None
    status: str = StepStatus.OPEN
    responsible_name: str = ""


@dataclass
class GoalInput:
    id: int | None
    title: str
    target_on: datetime.date | None = None
    status: str = "open"
    steps: list[StepInput] = field(default_factory=list)


def latest_allowed_date(today: datetime.date) -> datetime.date:
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def _validate_agreed_on(case: Case, plan: Plan | None, agreed_on: datetime.date) -> str | None:
    if agreed_on > datetime.date.today():
        return _("The plan cannot be agreed in the future.")
    if agreed_on < case.opened_on:
        return _("The plan cannot be agreed before the case was opened.")
    if plan is not None and agreed_on < plan.agreed_on:
        return _("The plan cannot be agreed before its previous version (%(date)s).") % {
            "date": date_format(plan.agreed_on, "SHORT_DATE_FORMAT")
        }
    return None


def _validate_date(value: datetime.date, made_on: datetime.date, *, what: str) -> str | None:
    if value < made_on:
        made = date_format(made_on, "SHORT_DATE_FORMAT")
        if what == "step":
            return _("Steps cannot be due before the plan was made (%(date)s).") % {"date": made}
        return _("The target date cannot be before the plan was made (%(date)s).") % {"date": made}
    if value > latest_allowed_date(datetime.date.today()):
        return _("Dates more than five years ahead are not accepted.")
    return None


def validate_plan(
    *, case: Case, plan: Plan | None, agreed_on: datetime.date, goals: list[GoalInput]
) -> dict[str, list[str]]:
    """The plan's rules; keys are "agreed_on", "goals.<i>.<field>", "goals.<i>.steps.<j>.<field>"."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str | None) -> None:
        if message:
            errors.setdefault(key, []).append(message)

    add("agreed_on", _validate_agreed_on(case, plan, agreed_on))
    made_on = plan.made_on if plan is not None else agreed_on
    if not goals:
        add("__all__", _("Please enter at least one goal."))
    for i, goal in enumerate(goals):
        if not goal.title.strip():
            add(f"goals.{i}.title", _("Please give the goal a title."))
        if goal.target_on is not None:
            add(f"goals.{i}.target_on", _validate_date(goal.target_on, made_on, what="goal"))
        for j, step in enumerate(goal.steps):
            key = f"goals.{i}.steps.{j}"
            if not step.description.strip():
                add(f"{key}.description", _("Please describe the step."))
            if step.due_on is None:
                add(f"{key}.due_on", _("Please give the date the step is due."))
            else:
                add(f"{key}.due_on", _validate_date(step.due_on, made_on, what="step"))
            if step.responsible == Responsible.OTHER and not step.responsible_name.strip():
                add(f"{key}.responsible_name", _("Please name who else is responsible (e.g. Jobcenter)."))
    return errors


def _write(actor: User, instance: models.Model, values: dict[str, Any], case: Case, exclude: str) -> None:
    """Creates or updates a goal or step and audits the changed field names."""
    adding = instance.pk is None
    changed = [name for name, value in values.items() if adding or getattr(instance, name) != value]
    if not changed:
        return
    for name in changed:
        setattr(instance, name, values[name])
    instance.full_clean(exclude=[exclude])
    instance.save()
    action = AuditAction.CREATE if adding else AuditAction.UPDATE
    audit_record(
        actor=actor, action=action, obj=instance, organisation=case.organisation, changed_fields=changed
    )


def _remove(actor: User, instance: models.Model, case: Case) -> None:
    audit_record(actor=actor, action=AuditAction.DELETE, obj=instance, organisation=case.organisation)
    instance.delete()


def _sync_task(actor: User, case: Case, step: Step) -> None:
    if step.responsible == Responsible.COUNSELLOR:
        task_sync(
            actor=actor,
            source=step,
            source_kind=TaskSource.PLAN_STEP,
            case=case,
            assignee=case.case_manager,
            title=step.description,
            due_on=step.due_on,
            done=step.status != StepStatus.OPEN,
        )
    else:
        task_remove_for(actor=actor, source=step)


def _remove_step(actor: User, step: Step, case: Case) -> None:
    task_remove_for(actor=actor, source=step)  # while the step still has its id
    _remove(actor, step, case)


def _save_steps(
    actor: User, case: Case, goal: Goal, steps: list[StepInput], existing: dict[int, Step]
) -> None:
    kept: list[Step] = []
    for position, data in enumerate(steps):
        step = existing.pop(data.id, None) if data.id else Step(goal=goal)
        if step is None:
            raise ValidationError(_("A step is no longer part of this goal. Please reload the page."))
        done_on = (step.done_on or datetime.date.today()) if data.status == StepStatus.DONE else None
        is_other = data.responsible == Responsible.OTHER
        values = {
            "description": data.description.strip(),
            "responsible": data.responsible,
            "responsible_name": data.responsible_name.strip() if is_other else "",
            "due_on": data.due_on,
            "status": data.status,
            "done_on": done_on,
            "position": position,
        }
        _write(actor, step, values, case, "goal")
        kept.append(step)
    for step in existing.values():
        _remove_step(actor, step, case)
    for step in kept:
        _sync_task(actor, case, step)


def _snapshot(plan: Plan) -> dict[str, Any]:
    goals = plan.goals.prefetch_related("steps")
    return {
        "goals": [
            {
                "title": goal.title,
                "target_on": goal.target_on.isoformat() if goal.target_on else None,
                "status": goal.status,
                "steps": [
                    {
                        "description": step.description,
                        "responsible": step.responsible,
                        "responsible_name": step.responsible_name,
                        "due_on": step.due_on.isoformat(),
                        "status": step.status,
                    }
                    for step in goal.steps.all()
                ],
            }
            for goal in goals
        ]
    }


def _lock_plan(case: Case, expected_version: int | None) -> Plan | None:
    """Locks the case and its plan; `expected_version` 0 means the user saw no plan yet."""
    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialises the first save
    plan = Plan.objects.select_for_update().filter(case=case).first()
    if plan is None:
        if expected_version not in (None, 0):
            raise EditConflict()
    else:
        check_version(plan, expected_version)
    return plan


@transaction.atomic
def plan_save(
    *,
    actor: User,
    case: Case,
    agreed_on: datetime.date,
    goals: list[GoalInput],
    expected_version: int | None = None,
) -> PlanVersion:
    """Saves the whole plan as agreed on `agreed_on` and freezes it as a new version."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The plan of a closed case cannot be changed."))
    plan = _lock_plan(case, expected_version)
    errors = validate_plan(case=case, plan=plan, agreed_on=agreed_on, goals=goals)
    if errors:
        raise ValidationError(errors)
    if plan is None:
        plan = model_create(
            actor=actor, instance=Plan(case=case, made_on=agreed_on, agreed_on=agreed_on, created_by=actor)
        )
        existing: dict[int, Goal] = {}
    else:
        changed = ["agreed_on"] if plan.agreed_on != agreed_on else []
        plan.agreed_on = agreed_on
        plan.version += 1  # every agreed version moves the lock on
        plan.save(update_fields=["agreed_on", "version", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=plan, changed_fields=changed or ["version"])
        existing = {goal.pk: goal for goal in plan.goals.prefetch_related("steps")}
    _save_goals(actor, case, plan, goals, existing)
    return _freeze(actor, case, plan)


def _save_goals(
    actor: User, case: Case, plan: Plan, goals: list[GoalInput], existing: dict[int, Goal]
) -> None:
    for position, data in enumerate(goals):
        goal = existing.pop(data.id, None) if data.id else Goal(plan=plan)
        if goal is None:
            raise ValidationError(_("A goal is no longer part of this plan. Please reload the page."))
        old_steps = {step.pk: step for step in goal.steps.all()} if goal.pk else {}
        values = {"title": data.title.strip(), "target_on": data.target_on, "status": data.status}
        _write(actor, goal, {**values, "position": position}, case, "plan")
        _save_steps(actor, case, goal, data.steps, old_steps)
    for goal in existing.values():
        for step in goal.steps.all():
            _remove_step(actor, step, case)
        _remove(actor, goal, case)


def _freeze(actor: User, case: Case, plan: Plan) -> PlanVersion:
    snapshot = _snapshot(plan)
    number = (plan.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    version = model_create(
        actor=actor,
        instance=PlanVersion(
            plan=plan, number=number, agreed_on=plan.agreed_on, created_by=actor, snapshot=snapshot
        ),
    )
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.PLAN,
        occurred_on=plan.agreed_on,
        obj=version,
        details={
            "version": number,
            "goals": len(snapshot["goals"]),
            "steps": sum(len(goal["steps"]) for goal in snapshot["goals"]),
        },
    )
    return version


@transaction.atomic
def plan_step_complete(*, actor: User, case: Case, step: Step) -> Step:
    """Marks one open step done (from the case page); the plan's lock moves on."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("The plan of a closed case cannot be changed."))
    plan = Plan.objects.select_for_update().get(case=case)
    current = Step.objects.select_for_update().get(pk=step.pk, goal__plan=plan)
    if current.status != StepStatus.OPEN:
        raise ValidationError(_("This step is no longer open."))
    _write(actor, current, {"status": StepStatus.DONE, "done_on": datetime.date.today()}, case, "goal")
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
    _sync_task(actor, case, current)
    record_event(actor=actor, case=case, kind=EventKind.PLAN_STEP, obj=current, details={"status": "done"})
    return current


@transaction.atomic
def plan_steps_settle(
    *, actor: User, case: Case, decisions: Mapping[int, str], on: datetime.date, expected_version: int | None
) -> None:
    """At exit: each open step is done or dropped, as the user decided (`decisions` maps a
    step's id to StepStatus.DONE or DROPPED); the plan's lock refuses a stale form."""
    if not decisions:
        return
    plan = Plan.objects.select_for_update().get(case=case)
    check_version(plan, expected_version)
    for step in Step.objects.select_for_update().filter(pk__in=decisions, goal__plan=plan):
        if step.status != StepStatus.OPEN:
            raise EditConflict()
        status = decisions[step.pk]
        done_on = on if status == StepStatus.DONE else None
        _write(actor, step, {"status": status, "done_on": done_on}, case, "goal")
        _sync_task(actor, case, step)
        record_event(actor=actor, case=case, kind=EventKind.PLAN_STEP, obj=step, details={"status": status})
    plan.version += 1
    plan.save(update_fields=["version", "updated_at"])
