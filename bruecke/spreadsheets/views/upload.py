"""Step 1: the upload, and a corrected version of a run's file."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bruecke.core.crypto import DecryptionError
from bruecke.spreadsheets import services
from bruecke.spreadsheets.forms import FileForm, SheetForm, UploadForm
from bruecke.spreadsheets.reading import UnreadableFile
from bruecke.spreadsheets.views.common import importer, run_of


def _create(request: HttpRequest, form: FileForm, **kwargs: Any) -> HttpResponse | None:
    upload = form.cleaned_data["file"]
    try:
        run = services.run_create(
            actor=importer(request),
            upload=services.Upload(upload.name, upload.read()),
            language=get_language() or "de",
            **kwargs,
        )
    except UnreadableFile as error:
        form.add_error("file", error.message)
        return None
    return redirect("spreadsheets:import_columns", pk=run.pk)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    user = importer(request)
    form = UploadForm(user, request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _create(
            request,
            form,
            entity=form.cleaned_data["entity_object"],
            organisation=form.cleaned_data["organisation_object"],
            mapping=form.cleaned_data.get("mapping_object"),
        )
        if response is not None:
            return response
    return render(request, "spreadsheets/imports/upload.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def import_replace(request: HttpRequest, pk: UUID) -> HttpResponse:
    """A corrected version of the file: same data type, organisation and mapping."""
    _user, run, entity = run_of(request, pk)
    form = FileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _create(request, form, entity=entity, organisation=run.organisation, previous=run)
        if response is not None:
            return response
    return render(request, "spreadsheets/imports/replace.html", {"form": form, "run": run, "entity": entity})


@login_required
@require_http_methods(["GET", "POST"])
def import_sheet(request: HttpRequest, pk: UUID) -> HttpResponse:
    """The worksheet of a workbook with several: the rows are read from it from now on."""
    user, run, entity = run_of(request, pk)
    if not services.is_editable(run):
        return redirect("spreadsheets:import_run", pk=run.pk)
    try:
        sheets = list(run.sheets) or services.run_sheets(run)
    except (FileNotFoundError, DecryptionError, UnreadableFile):
        messages.error(request, _("The uploaded file can no longer be read. Please upload it again."))
        return redirect("spreadsheets:import_run", pk=run.pk)
    if len(sheets) < 2:  # a CSV file or a workbook of one sheet: nothing to choose
        return redirect("spreadsheets:import_columns", pk=run.pk)
    form = SheetForm(request.POST or None, sheets=sheets, initial={"sheet": run.sheet or sheets[0]})
    if request.method == "POST" and form.is_valid():
        try:
            services.run_set_sheet(actor=user, run=run, entity=entity, sheet=form.cleaned_data["sheet"])
        except UnreadableFile as error:  # the sheet is empty, or gone from the file
            form.add_error("sheet", error.message)
        else:
            return redirect("spreadsheets:import_columns", pk=run.pk)
    context = {"form": form, "run": run, "entity": entity}
    return render(request, "spreadsheets/imports/sheet.html", context)
