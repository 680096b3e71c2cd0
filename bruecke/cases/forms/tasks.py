"""Adding a task (free, or on a case: chosen, or fixed when added from the case page) and
changing an open staff task."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, Task
from bruecke.cases.selectors.tasks import cases_for_new_task, task_assignees
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.forms import ModelForm
from bruecke.core.locking import VersionedFormMixin
from bruecke.core.submission import SubmitOnceMixin
from bruecke.network.forms import DateInput


class CaseChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.participant.full_name} ({obj.opened_on:%d.%m.%Y})"


class TaskForm(SubmitOnceMixin, ModelForm):
    case = CaseChoiceField(
        label=_("case"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("no case (free task)"),
        help_text=_("Only open cases you may edit."),
    )

    class Meta:
        model = Task
        fields = ["title", "due_on", "assignee", "case"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, user: User, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_case = case
        self.organisations = sorted(access.organisation_ids(user, Perm.VIEW_PERSONAL_DATA))
        fields: dict[str, Any] = self.fields
        fields["title"].strip = True
        if case is not None:
            del fields["case"]
            self.instance.case = case
            fields["assignee"].queryset = task_assignees(case.organisation_id, case)
        else:
            fields["case"].queryset = cases_for_new_task(user)
            fields["assignee"].queryset = access.personal_data_staff(self.organisations, any_team=True)
        fields["assignee"].empty_label = None
        self.initial.setdefault("assignee", user.pk)
        self.initial.setdefault("due_on", timezone.localdate())

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if due_on is not None and due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."), code="past")
        return due_on

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        assignee = cleaned.get("assignee")
        if self.fixed_case is None and cleaned.get("case") is None and assignee is not None:
            # A free task belongs to the organisation the actor shares with the assignee.
            for organisation_id in self.organisations:
                if (
                    access.personal_data_staff([organisation_id], any_team=True)
                    .filter(pk=assignee.pk)
                    .exists()
                ):
                    self.instance.organisation_id = organisation_id
                    break
        return cleaned


class TaskEditForm(VersionedFormMixin, ModelForm):  # stubs type `initial` differently
    """Changing an open staff task: title, due date, assignee (the case stays)."""

    class Meta:
        model = Task
        fields = ["title", "due_on", "assignee"]
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, task: Task, **kwargs: Any) -> None:
        super().__init__(*args, instance=task, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["title"].strip = True
        fields["assignee"].queryset = task_assignees(task.organisation_id, task.case)
        fields["assignee"].empty_label = None

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        unchanged = due_on == self.initial.get("due_on")
        if due_on is not None and not unchanged and due_on < timezone.localdate():
            raise ValidationError(_("The due date cannot be in the past."), code="past")
        return due_on
