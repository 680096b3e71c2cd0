"""Closing a case: the exit questionnaire plus a decision for every open task and plan step,
so nothing of a closed case stays behind in "my tasks"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from bruecke.cases.models import Case, Plan
from bruecke.cases.selectors.exit import open_steps, open_tasks
from bruecke.cases.selectors.tasks import task_assignees
from bruecke.cases.services.exit import OpenItemAction, OpenItems
from bruecke.esf.exit_forms import ExitForm
from bruecke.esf.exit_models import ExitRecord

PLEASE_CHOOSE = ("", _("please choose"))
TASK_ACTIONS = [
    PLEASE_CHOOSE,
    (OpenItemAction.DONE, _("done")),
    (OpenItemAction.CANCEL, _("cancelled")),
    (OpenItemAction.HAND_OVER, _("hand over to a colleague")),
]
STEP_ACTIONS = [PLEASE_CHOOSE, (OpenItemAction.DONE, _("done")), (OpenItemAction.CANCEL, _("cancelled"))]


class CaseCloseForm(ExitForm):
    """One required choice per open task and step, read with the version it was loaded at."""

    def __init__(self, *args: Any, case: Case, instance: ExitRecord, **kwargs: Any) -> None:
        super().__init__(*args, instance=instance, **kwargs)
        self.case = case
        self.task_rows: list[tuple[str, str]] = []
        self.step_rows: list[str] = []
        colleagues = task_assignees(case.organisation_id, case)
        for task in open_tasks(case):
            due = date_format(task.due_on, "SHORT_DATE_FORMAT")
            name = f"task_{task.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("%(title)s (due %(date)s, %(person)s)")
                % {"title": task.title, "date": due, "person": task.assignee},
                choices=TASK_ACTIONS,
            )
            self.fields[f"{name}_to"] = forms.ModelChoiceField(
                label=_("Hand over to"), queryset=colleagues, required=False
            )
            version = forms.IntegerField(widget=forms.HiddenInput, initial=task.version)
            self.fields[f"{name}_version"] = version
            self.task_rows.append((name, f"{name}_to"))
        for step in open_steps(case):
            due = date_format(step.due_on, "SHORT_DATE_FORMAT")
            name = f"step_{step.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("Plan step: %(step)s (due %(date)s)") % {"step": step.description, "date": due},
                choices=STEP_ACTIONS,
            )
            self.step_rows.append(name)
        if self.step_rows:
            plan = Plan.objects.get(case=case)
            self.fields["plan_version"] = forms.IntegerField(widget=forms.HiddenInput, initial=plan.version)

    @property
    def open_item_fields(self) -> list[forms.BoundField]:
        names = [n for row in self.task_rows for n in row] + self.step_rows
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, to in self.task_rows:
            if data.get(name) == OpenItemAction.HAND_OVER and not data.get(to):
                self.add_error(to, _("Please choose the colleague who takes the task over."))
        return data

    def open_items(self) -> OpenItems:
        data = self.cleaned_data
        tasks = {
            int(name.removeprefix("task_")): (
                data[name],
                data.get(f"{name}_version"),
                data.get(to) if data[name] == OpenItemAction.HAND_OVER else None,
            )
            for name, to in self.task_rows
        }
        steps = {int(name.removeprefix("step_")): data[name] for name in self.step_rows}
        return OpenItems(tasks=tasks, steps=steps, plan_version=data.get("plan_version"))
