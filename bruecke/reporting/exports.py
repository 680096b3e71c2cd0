"""Starting report exports and the funder file: the forms' choices, the jobs' parameters,
titles and file names (never personal data: they end up in download folders and mail)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms as django_forms
from django.http import Http404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bruecke.accounts.models import User
from bruecke.core import forms
from bruecke.jobs.models import Job
from bruecke.jobs.services import job_start
from bruecke.projects.models import Project
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.registry import report_kinds
from bruecke.reporting.scope import ReportScope, may_drill_down, require_reporting

CSV_SEMICOLON = "csv"
CSV_COMMA = "csv-comma"
XLSX = "xlsx"
PDF = "pdf"
FORMATS = {
    CSV_SEMICOLON: _("CSV (semicolon, for Excel)"),
    CSV_COMMA: _("CSV (comma)"),
    XLSX: _("Excel workbook (XLSX)"),
    PDF: _("PDF"),
}
FUNDER_XML = "xml"
FUNDER_FORMATS = {
    FUNDER_XML: _("XML (schema teilnehmende 1.0)"),
    CSV_SEMICOLON: _("CSV (semicolon, for Excel)"),
    CSV_COMMA: _("CSV (comma)"),
}
EXTENSIONS = {CSV_SEMICOLON: "csv", CSV_COMMA: "csv", XLSX: "xlsx", PDF: "pdf", FUNDER_XML: "xml"}
CHOICE_FIELDS = ("project", "start", "end", "scope")


def delimiter_of(output_format: str) -> str:
    return "," if output_format == CSV_COMMA else ";"


def choice_params(params: dict[str, Any]) -> dict[str, str]:
    """The report choice as the builders take it: strings."""
    return {name: str(params.get(name) or "") for name in CHOICE_FIELDS}


def report_title(kind: str) -> str:
    return gettext(report_kinds()[kind])


def period_text(params: dict[str, Any]) -> str:
    start, end = (datetime.date.fromisoformat(str(params[name])) for name in ("start", "end"))
    return gettext("Period %(start)s to %(end)s") % {
        "start": start.strftime("%d.%m.%Y"),
        "end": end.strftime("%d.%m.%Y"),
    }


def export_filename(kind: str, params: dict[str, Any], output_format: str) -> str:
    """E.g. esf-indikatoren_2025-01-01_2025-12-31.xlsx: the German title, the period."""
    with translation.override("de"):
        name = slugify(gettext(report_kinds()[kind])) or "bericht"
    return f"{name}_{params['start']}_{params['end']}.{EXTENSIONS[output_format]}"


def funder_filename(params: dict[str, Any]) -> str:
    extension = EXTENSIONS[params["format"]]
    return f"teilnehmende_projekt-{params['project']}_{params['start']}_{params['end']}.{extension}"


class ExportStartForm(forms.Form):
    """What to export and how; the choice itself is checked by ReportChoiceForm."""

    kind = django_forms.ChoiceField(label=_("Report"))
    format = django_forms.ChoiceField(label=_("Format"), choices=list(FORMATS.items()))

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["kind"].choices = list(report_kinds().items())  # type: ignore[attr-defined]


class FunderFileForm(ReportChoiceForm):
    format = django_forms.ChoiceField(
        label=_("Format"), choices=list(FUNDER_FORMATS.items()), initial=FUNDER_XML
    )


@dataclass(frozen=True)
class Choice:
    project: Project
    scope: ReportScope
    start: datetime.date
    end: datetime.date

    def params(self) -> dict[str, Any]:
        return {
            "project": self.project.pk,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "scope": self.scope.key,
        }


def valid_choice(form: ReportChoiceForm) -> Choice:
    data = form.cleaned_data
    return Choice(project=data["project"], scope=form.chosen_scope, start=data["start"], end=data["end"])


def require_funder_file(user: Any) -> None:
    """The funder file lists participants one by one: only for users who report on the
    network AND see personal data (a team lead), never the network coordinator."""
    require_reporting(user)
    if not may_drill_down(user):
        raise Http404


def funder_choice(user: User, params: dict[str, Any]) -> Choice:
    """The stored choice, checked again for `user` today (404 when no longer allowed)."""
    require_funder_file(user)
    form = ReportChoiceForm(user, choice_params(params))
    if not form.is_valid():
        raise Http404
    return valid_choice(form)


def export_start(*, actor: User, kind: str, output_format: str, choice: Choice, language: str) -> Job:
    """Starts (or, while the same one runs, returns) the export job."""
    params = {"kind": kind, "format": output_format, **choice.params(), "language": language}
    title = gettext("%(report)s, %(period)s (%(format)s)") % {
        "report": report_title(kind),
        "period": period_text(params),
        "format": EXTENSIONS[output_format].upper(),
    }
    return job_start(actor=actor, kind="reporting.export", params=params, title=title)


def funder_file_start(*, actor: User, output_format: str, choice: Choice) -> Job:
    params = {"format": output_format, **choice.params()}
    title = gettext("Participant file for the funder, %(period)s (%(format)s)") % {
        "period": period_text(params),
        "format": EXTENSIONS[output_format].upper(),
    }
    return job_start(actor=actor, kind="reporting.funder_file", params=params, title=title)
