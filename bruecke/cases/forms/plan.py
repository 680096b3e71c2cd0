"""The plan edit page: the agreement date, goals, and the steps of each goal, without JavaScript.

Goals are one formset, each goal's steps another (prefix `goal-<i>-step`). Blank rows are
offered for new goals and steps and skipped when left empty; "add a row" buttons post the
page back with one more blank row (nothing is saved then). The rules of the plan itself
live in the service; its errors are put back next to the right field here.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import GoalStatus, Plan, Responsible, StepStatus
from bruecke.cases.services.plan import GoalInput, StepInput
from bruecke.core.forms import Form, add_service_errors
from bruecke.core.locking import VersionedFormMixin
from bruecke.network.forms import DateInput

GOAL_PREFIX = "goal"
BLANK_STEPS = 1  # blank step rows under each goal
BLANK_STEPS_NEW_GOAL = 2


class PlanForm(VersionedFormMixin, Form):
    agreed_on = forms.DateField(
        label=_("agreed with the participant on"),
        widget=DateInput(),
        error_messages={"required": _("Please give the date the plan was agreed.")},
    )

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, version=version, **kwargs)
        # 0: the user saw no plan yet (the first save creates it).
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        self.initial["version"] = version


class RowForm(Form):
    """A row that is skipped when it is new and its text fields are empty."""

    id_field = ""
    content_fields: tuple[str, ...] = ()

    def has_changed(self) -> bool:
        if not self.is_bound:
            return False
        if self.data.get(self.add_prefix(self.id_field)):
            return True
        return any(str(self.data.get(self.add_prefix(name), "")).strip() for name in self.content_fields)


class GoalForm(RowForm):
    id_field = "goal_id"
    content_fields = ("title", "target_on")

    goal_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(
        label=_("goal"),
        max_length=200,
        help_text=_("e.g. German B1, apprenticeship as an electronics technician"),
        error_messages={"required": _("Please give the goal a title.")},
    )
    target_on = forms.DateField(label=_("target date"), required=False, widget=DateInput())
    status = forms.ChoiceField(label=_("status"), choices=GoalStatus.choices, initial=GoalStatus.OPEN)


class StepForm(RowForm):
    id_field = "step_id"
    content_fields = ("description", "responsible_name", "due_on")

    step_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    description = forms.CharField(
        label=_("step"), max_length=300, error_messages={"required": _("Please describe the step.")}
    )
    responsible = forms.ChoiceField(
        label=_("responsible"), choices=Responsible.choices, initial=Responsible.PARTICIPANT
    )
    responsible_name = forms.CharField(
        label=_("name of the other"),
        max_length=100,
        required=False,
        help_text=_("Only when someone else is responsible, e.g. Jobcenter."),
    )
    due_on = forms.DateField(
        label=_("due on"),
        widget=DateInput(),
        error_messages={"required": _("Please give the date the step is due.")},
    )
    status = forms.ChoiceField(label=_("status"), choices=StepStatus.choices, initial=StepStatus.OPEN)


# Bounded, so a crafted post cannot make the server build millions of nested forms.
MAX_GOALS = MAX_STEPS = 40
GoalFormSet = formset_factory(
    GoalForm, extra=0, can_delete=True, max_num=MAX_GOALS, absolute_max=MAX_GOALS + 2, validate_max=True
)
StepFormSet = formset_factory(
    StepForm, extra=0, can_delete=True, max_num=MAX_STEPS, absolute_max=MAX_STEPS + 2, validate_max=True
)
_SERVICE_KEY = re.compile(r"^goals\.(\d+)\.(?:steps\.(\d+)\.)?(\w+)$")


def _row_kwargs() -> dict[str, Any]:
    # Every row may stay empty: RowForm.has_changed decides, not the formset's initial count.
    return {"empty_permitted": True, "use_required_attribute": False}


def _plan_rows(plan: Plan | None) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    if plan is None:
        return []
    return [
        (
            {"goal_id": g.pk, "title": g.title, "target_on": g.target_on, "status": g.status},
            [
                {
                    "step_id": s.pk,
                    "description": s.description,
                    "responsible": s.responsible,
                    "responsible_name": s.responsible_name,
                    "due_on": s.due_on,
                    "status": s.status,
                }
                for s in g.steps.all()
            ],
        )
        for g in plan.goals.all()
    ]


class PlanEditor:
    """The plan form, the goal formset and one step formset per goal, as one unit."""

    def __init__(self, data: QueryDict | None, *, plan: Plan | None) -> None:
        self.plan = plan
        version = plan.version if plan else 0
        if data is None:
            agreed = {"agreed_on": datetime.date.today()}
            self.plan_form = PlanForm(initial=agreed, version=version)
            self._build_unbound(_plan_rows(plan), blank_goals=1)
            return
        self.plan_form = PlanForm(data, version=version)
        self.goals = GoalFormSet(data, prefix=GOAL_PREFIX, form_kwargs=_row_kwargs())
        self.steps = [
            StepFormSet(data, prefix=f"{GOAL_PREFIX}-{i}-step", form_kwargs=_row_kwargs())
            for i in range(self.goals.total_form_count())
        ]

    def _build_unbound(
        self,
        rows: list[tuple[dict[str, Any], list[dict[str, Any]]]],
        *,
        blank_goals: int,
        more_steps: int = -1,
    ) -> None:
        goals = GoalFormSet(
            prefix=GOAL_PREFIX, initial=[goal for goal, _steps in rows], form_kwargs=_row_kwargs()
        )
        goals.extra = blank_goals
        self.goals = goals
        self.steps = []
        for i in range(goals.total_form_count()):
            initial = rows[i][1] if i < len(rows) else []
            steps = StepFormSet(prefix=f"{GOAL_PREFIX}-{i}-step", initial=initial, form_kwargs=_row_kwargs())
            steps.extra = BLANK_STEPS if i < len(rows) else BLANK_STEPS_NEW_GOAL
            if i == more_steps:
                steps.extra += 1
            self.steps.append(steps)

    def with_added_row(self, *, goal: bool, step_of: int | None) -> PlanEditor:
        """The same input shown again, unbound, with one more blank goal or step row."""
        rows = []
        for goal_form, step_set in zip(self.goals.forms, self.steps, strict=True):
            rows.append((_raw(goal_form), [_raw(f) for f in step_set.forms if f.has_changed()]))
        kept = [row for row, form in zip(rows, self.goals.forms, strict=True) if form.has_changed() or row[1]]
        editor = PlanEditor.__new__(PlanEditor)
        editor.plan = self.plan
        editor.plan_form = PlanForm(
            initial={"agreed_on": self.plan_form["agreed_on"].value()}, version=self._posted_version()
        )
        index = None if step_of is None else _kept_index(step_of, self.goals.forms, rows)
        editor._build_unbound(kept, blank_goals=2 if goal else 1, more_steps=-1 if index is None else index)
        return editor

    def _posted_version(self) -> int:
        try:
            return int(self.plan_form["version"].value())
        except (TypeError, ValueError):
            return self.plan.version if self.plan else 0

    @property
    def has_errors(self) -> bool:
        forms_ = [self.plan_form, *self.goals.forms, *(f for s in self.steps for f in s.forms)]
        sets: list[Any] = [self.goals, *self.steps]
        return any(f.is_bound and f.errors for f in forms_) or any(
            s.is_bound and s.non_form_errors() for s in sets
        )

    def rows(self) -> list[tuple[GoalForm, Any]]:
        return list(zip(self.goals.forms, self.steps, strict=True))

    def is_valid(self) -> bool:
        valid = self.plan_form.is_valid()
        self.goals.is_valid()
        valid = valid and not self.goals.non_form_errors()
        for goal_form, step_set in self.rows():
            step_set.is_valid()
            valid = valid and not step_set.non_form_errors()
            if goal_form.has_changed() or _deleted(goal_form):
                continue
            if any(f.has_changed() and not _deleted(f) for f in step_set.forms):
                goal_form.add_error("title", ValidationError(_("Please give the goal a title.")))
        return valid and all(self._row_valid(goal_form, step_set) for goal_form, step_set in self.rows())

    def _row_valid(self, goal_form: GoalForm, step_set: Any) -> bool:
        if _deleted(goal_form):
            return True
        return (
            goal_form.is_valid()
            and step_set.management_form.is_valid()
            and all(f.is_valid() for f in step_set.forms if not _deleted(f))
        )

    def _kept(self) -> list[tuple[GoalForm, list[StepForm]]]:
        kept = []
        for goal_form, step_set in self.rows():
            if _deleted(goal_form) or not goal_form.has_changed():
                continue
            kept.append((goal_form, [f for f in step_set.forms if f.has_changed() and not _deleted(f)]))
        return kept

    def goal_inputs(self) -> list[GoalInput]:
        return [
            GoalInput(
                id=goal_form.cleaned_data.get("goal_id"),
                title=goal_form.cleaned_data["title"],
                target_on=goal_form.cleaned_data.get("target_on"),
                status=goal_form.cleaned_data["status"],
                steps=[
                    StepInput(
                        id=f.cleaned_data.get("step_id"),
                        description=f.cleaned_data["description"],
                        responsible=f.cleaned_data["responsible"],
                        responsible_name=f.cleaned_data.get("responsible_name", ""),
                        due_on=f.cleaned_data["due_on"],
                        status=f.cleaned_data["status"],
                    )
                    for f in step_forms
                ],
            )
            for goal_form, step_forms in self._kept()
        ]

    def add_service_errors(self, error: ValidationError) -> None:
        """Puts the service's errors ("goals.0.steps.1.due_on") next to their fields."""
        if not hasattr(error, "error_dict"):
            add_service_errors(self.plan_form, error)
            return
        kept = self._kept()
        for key, errors in error.error_dict.items():
            match = _SERVICE_KEY.match(key)
            if match is None:
                add_service_errors(self.plan_form, ValidationError({key: errors}))
                continue
            goal_form, step_forms = kept[int(match[1])]
            form: Form = goal_form if match[2] is None else step_forms[int(match[2])]
            add_service_errors(form, ValidationError({match[3]: errors}))


def _deleted(form: forms.BaseForm) -> bool:
    return bool(form.is_bound and form.data.get(form.add_prefix("DELETE")))


def _raw(form: forms.BaseForm) -> dict[str, Any]:
    values = {name: form[name].value() for name in form.fields if name != "DELETE"}
    values["DELETE"] = _deleted(form)
    return values


def _kept_index(step_of: int, goal_forms: list[GoalForm], rows: list[Any]) -> int | None:
    """Where goal number `step_of` (as posted) ends up once blank goals are dropped."""
    index = 0
    for i, (form, row) in enumerate(zip(goal_forms, rows, strict=True)):
        keep = form.has_changed() or row[1]
        if i == step_of:
            return index if keep else None
        if keep:
            index += 1
    return None
