"""Steps 2 and 3: which column of the file feeds which field, and which word of the file
means which allowed value. A complete mapping starts the dry run."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bruecke.accounts.models import User
from bruecke.spreadsheets import services
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.forms import ColumnsForm, ValuesForm
from bruecke.spreadsheets.mapping import unknown_words
from bruecke.spreadsheets.models import ImportRun
from bruecke.spreadsheets.reading import UnreadableFile
from bruecke.spreadsheets.views.common import run_of, stored_table


def _unknown(run: ImportRun, entity: Entity) -> dict[str, list[str]] | None:
    table = stored_table(run)
    if table is None:
        return None
    return unknown_words(Plan(entity, dict(run.columns), dict(run.values)), table)


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request: HttpRequest, pk: UUID) -> HttpResponse:
    user, run, entity = run_of(request, pk)
    if not services.is_editable(run):
        return redirect("spreadsheets:import_run", pk=run.pk)
    form = ColumnsForm(request.POST or None, run=run, entity=entity)
    if request.method == "POST" and form.is_valid():
        services.run_set_columns(
            actor=user, run=run, columns=form.columns(), save_as=form.cleaned_data["save_as"]
        )
        if form.cleaned_data["save_as"]:
            messages.success(
                request, _("The mapping “%(name)s” has been saved.") % {"name": form.cleaned_data["save_as"]}
            )
        try:
            unknown = _unknown(run, entity)
        except UnreadableFile as error:  # a broken row below the header rows
            messages.error(request, error.message)
            return redirect("spreadsheets:import_run", pk=run.pk)
        if unknown:
            return redirect("spreadsheets:import_values", pk=run.pk)
        return _start_check(request, user, run)
    return render(request, "spreadsheets/imports/columns.html", {"form": form, "run": run, "entity": entity})


def _start_check(request: HttpRequest, user: User, run: ImportRun) -> HttpResponse:
    try:
        services.run_check_start(actor=user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("spreadsheets:import_run", pk=run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest, pk: UUID) -> HttpResponse:
    user, run, entity = run_of(request, pk)
    if not services.is_editable(run):
        return redirect("spreadsheets:import_run", pk=run.pk)
    try:
        unknown = _unknown(run, entity)
    except UnreadableFile as error:  # a broken row below the header rows
        messages.error(request, error.message)
        return redirect("spreadsheets:import_run", pk=run.pk)
    if not unknown:  # nothing to map (or the file is gone: the run page says so)
        return redirect("spreadsheets:import_run", pk=run.pk)
    form = ValuesForm(request.POST or None, run=run, entity=entity, unknown=unknown)
    if request.method == "POST" and form.is_valid():
        services.run_set_values(
            actor=user,
            run=run,
            values=form.values(),
            save_to_mapping=bool(form.cleaned_data.get("save_to_mapping")),
        )
        return _start_check(request, user, run)
    return render(request, "spreadsheets/imports/values.html", {"form": form, "run": run, "entity": entity})
