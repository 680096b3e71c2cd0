"""Steps 2 and 3: which column of the file feeds which field, and which word of the file
means which allowed value. A complete mapping starts the dry run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bruecke.accounts.models import User
from bruecke.spreadsheets import listing, services
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.forms import ColumnsForm, ValuesForm
from bruecke.spreadsheets.models import ImportRun
from bruecke.spreadsheets.reading import UnreadableFile
from bruecke.spreadsheets.views.common import run_of, stored_table


@dataclass
class Words:
    """The value mapping's view of the file: the words to map (None: not known yet, the
    listing job runs or the file is gone) and the columns with more words than offered."""

    unknown: dict[str, list[str]] | None
    capped: list[str]


def _words(run: ImportRun, entity: Entity) -> Words:
    """A small file is listed now; a larger one from the listing kept on the run, if it
    was made for the current sheet and columns. UnreadableFile for a broken row."""
    plan = Plan(entity, dict(run.columns), {k: dict(v) for k, v in run.values.items()})
    if listing.in_request(run):
        table = stored_table(run)
        if table is None:
            return Words(None, [])
        found, _rows = listing.count_words(plan, table)
    elif listing.is_current(run, entity):
        found = run.value_listing
    else:
        return Words(None, [])
    return Words(listing.unknown_words(plan, found), listing.capped_columns(found))


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
        if listing.choice_columns(entity, run.columns) and not listing.in_request(run) and run.stored_name:
            # A large file: its words are listed in the background; the value page waits.
            _start_listing(request, user, run)
            return redirect("spreadsheets:import_values", pk=run.pk)
        try:
            unknown = _words(run, entity).unknown
        except UnreadableFile as error:  # a broken row below the header rows
            messages.error(request, error.message)
            return redirect("spreadsheets:import_run", pk=run.pk)
        if unknown:
            return redirect("spreadsheets:import_values", pk=run.pk)
        return _start_check(request, user, run)
    return render(request, "spreadsheets/imports/columns.html", {"form": form, "run": run, "entity": entity})


def _start_listing(request: HttpRequest, user: User, run: ImportRun) -> None:
    try:
        services.run_listing_start(actor=user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))


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
        words = _words(run, entity)
    except UnreadableFile as error:  # a broken row below the header rows
        messages.error(request, error.message)
        return redirect("spreadsheets:import_run", pk=run.pk)
    context: dict[str, Any] = {"run": run, "entity": entity}
    if words.unknown is None:
        if listing.in_request(run) or not run.stored_name:  # the file is gone: the run page says so
            return redirect("spreadsheets:import_run", pk=run.pk)
        job = run.listing_job
        if job is None:  # never listed for these columns: they are confirmed first
            return redirect("spreadsheets:import_columns", pk=run.pk)
        context |= {"waiting": job.is_active, "job": job}
        return render(request, "spreadsheets/imports/values.html", context)
    if not words.unknown and listing.in_request(run):  # nothing to map
        return redirect("spreadsheets:import_run", pk=run.pk)
    data = request.POST if request.method == "POST" else None  # an empty POST is a submission too
    form = ValuesForm(data, run=run, entity=entity, unknown=words.unknown)
    if request.method == "POST" and form.is_valid():
        if words.unknown:
            services.run_set_values(
                actor=user,
                run=run,
                values=form.values(),
                save_to_mapping=bool(form.cleaned_data.get("save_to_mapping")),
            )
        return _start_check(request, user, run)
    labels = {c.key: str(c.label) for c in entity.all_columns()}
    capped = [labels.get(key, key) for key in words.capped]
    context |= {"form": form, "capped": capped, "max_words": listing.MAX_WORDS}
    return render(request, "spreadsheets/imports/values.html", context)
