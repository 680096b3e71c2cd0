"""The task list (cases:task_list): the user's open or done tasks, or a case's tasks."""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.cases.models import Task
from bruecke.core.access import Perm
from bruecke.reporting.tables import Cell
from bruecke.spreadsheets.exporting.fields import model_column, number_column
from bruecke.spreadsheets.exporting.registry import Column, ExportContext, ListExport, register, with_perm


def _rows(user: User, query: Mapping[str, str], today: datetime.date) -> QuerySet[Task]:
    from bruecke.cases.views.tasks import listed_tasks

    return listed_tasks(user, query)[1]


def _on_visible_case(path: str, label: str | Promise) -> Column:
    """A value of the task's case, shown only when the user may open that case (an
    assignee outside the case's team sees the task, not whose it is)."""

    shown = model_column(Task, path).value

    def value(row: Task, context: ExportContext) -> Cell | bool:
        return shown(row, context) if getattr(row, "case_visible", False) else None

    return Column(key=path, label=label, value=value)


TASKS = register(
    ListExport(
        key="tasks",
        title=_("Tasks"),
        record_type=Task,
        page="cases:task_list",
        may_export=with_perm(Perm.VIEW_PERSONAL_DATA),
        query_keys=("done", "case"),
        rows=_rows,
        columns=(
            number_column(_("number of the task")),
            model_column(Task, "title"),
            model_column(Task, "due_on"),
            model_column(Task, "assignee"),
            number_column(_("case number"), "case_id"),
            _on_visible_case("case.participant.family_name", _("family name")),
            _on_visible_case("case.participant.given_names", _("given names")),
            model_column(Task, "source"),
            model_column(Task, "done_on"),
            model_column(Task, "done_by"),
        ),
    )
)
