"""The report choice of the indicator pages, read from the GET parameters.

Shared by the report and the lists behind its numbers: the same project, period and scope
(and, for the lists, the indicator code and breakdown) travel as query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone

from bruecke.participants.selectors import AnyUser
from bruecke.reporting.forms import ReportChoiceForm, default_choice
from bruecke.reporting.indicators import ReportRequest
from bruecke.reporting.scope import projects_for

CHOICE_FIELDS = ("project", "start", "end", "scope")


@dataclass
class Choice:
    """The bound form and, when it is valid, what the report covers."""

    form: ReportChoiceForm
    request: ReportRequest | None

    def query(self) -> str:
        """The choice as a query string (for links to the lists and for pagination)."""
        if self.request is None:
            return ""
        return urlencode(
            {
                "project": self.request.project.pk,
                "start": self.request.start.isoformat(),
                "end": self.request.end.isoformat(),
                "scope": self.request.scope.key,
            }
        )


def _data(user: AnyUser, params: QueryDict) -> dict[str, str] | None:
    """The submitted choice, or the default one when nothing was chosen yet."""
    if not any(params.get(name) for name in CHOICE_FIELDS):
        default = default_choice(user, timezone.localdate())
        return {key: str(value) for key, value in (default or {}).items()} or None
    return {name: params.get(name, "") for name in CHOICE_FIELDS}


def _refuse_foreign(user: AnyUser, form: ReportChoiceForm, data: dict[str, str]) -> None:
    """A project or scope that exists outside the user's networks is 404, as any record
    the user may not see: a form error would confirm that it exists."""
    scope = data.get("scope", "")
    if scope and scope not in form.scopes:
        raise Http404
    project = data.get("project", "")
    if project.isdigit() and (len(project) > 18 or not projects_for(user).filter(pk=int(project)).exists()):
        raise Http404  # more than 18 digits: no primary key, and beyond the database's integers


def read_choice(request: HttpRequest) -> Choice:
    """The choice of the request's GET parameters, validated on the server; 404 for a
    project or scope outside the user's networks."""
    data = _data(request.user, request.GET)
    if data is None:
        raise Http404  # no project in the user's networks: nothing to report on
    form = ReportChoiceForm(request.user, data)
    _refuse_foreign(request.user, form, data)
    if not form.is_valid():
        return Choice(form=form, request=None)
    cleaned = form.cleaned_data
    return Choice(
        form=form,
        request=ReportRequest(
            project=cleaned["project"], start=cleaned["start"], end=cleaned["end"], scope=form.chosen_scope
        ),
    )
