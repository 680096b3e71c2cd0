"""The choice every report starts from: project, period and scope, checked on the server."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms as django_forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bruecke.core import forms
from bruecke.network.forms import DateInput
from bruecke.participants.selectors import AnyUser
from bruecke.projects.models import Project
from bruecke.reporting.scope import ReportScope, projects_for, scopes_for


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


class ReportChoiceForm(forms.Form):
    """Project, period and scope of a report (GET form: the choice is part of the URL).

    The period defaults to the project's funding period up to today; it must lie inside
    the funding period and end after it starts. Scopes outside the user's networks are not
    offered and refused (the view answers 404 for a forged one).
    """

    project = django_forms.ModelChoiceField(
        label=_("Project"), queryset=Project.objects.none(), empty_label=None
    )
    start = django_forms.DateField(label=_("From"), widget=DateInput())
    end = django_forms.DateField(label=pgettext_lazy("end of a period", "To"), widget=DateInput())
    scope = django_forms.ChoiceField(label=_("Scope"))

    def __init__(self, user: AnyUser, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["project"].queryset = projects_for(user)  # type: ignore[attr-defined]
        self.scopes = {scope.key: scope for scope in scopes_for(user)}
        self.fields["scope"].choices = [  # type: ignore[attr-defined]
            (key, scope.label) for key, scope in self.scopes.items()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        project: Project | None = data.get("project")
        start: datetime.date | None = data.get("start")
        end: datetime.date | None = data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period cannot be before its start."))
        elif project and start and start < project.starts_on:
            self.add_error(
                "start",
                _("The period cannot start before the project (%(date)s).")
                % {"date": _date(project.starts_on)},
            )
        elif project and end and project.ends_on and end > project.ends_on:
            self.add_error(
                "end",
                _("The period cannot end after the project (%(date)s).") % {"date": _date(project.ends_on)},
            )
        scope = self.scopes.get(data.get("scope") or "")
        if project and scope and scope.network_id != project.network_id:
            self.add_error("scope", _("Please choose a scope in the project's network."))
        return data

    @property
    def chosen_scope(self) -> ReportScope:
        return self.scopes[self.cleaned_data["scope"]]


def default_choice(user: AnyUser, today: datetime.date) -> dict[str, Any] | None:
    """The first project, its funding period up to today and its whole network."""
    project = projects_for(user).first()
    if project is None:
        return None
    end = min(today, project.ends_on) if project.ends_on else today
    end = max(end, project.starts_on)
    return {
        "project": project.pk,
        "start": project.starts_on.isoformat(),
        "end": end.isoformat(),
        "scope": f"network-{project.network_id}",
    }
