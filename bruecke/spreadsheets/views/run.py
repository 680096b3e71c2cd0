"""Steps 4 and 5: the run page (progress, then the dry run's or the import's results),
starting the dry run and the import; and the user's list of imports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.views.decorators.http import require_POST

from bruecke.core.views_helpers import paginate
from bruecke.spreadsheets import duplicates, selectors, services
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.models import ImportRun, RunState
from bruecke.spreadsheets.views.common import importer, run_of

ROWS_PER_PAGE = 50
RUNS_PER_PAGE = 25
RUNNING = (RunState.CHECKING, RunState.IMPORTING)


def _link(entity: Entity, object_id: int | None) -> str:
    """The record's page, where the entity offers one."""
    detail_url = getattr(entity, "detail_url", None)
    if object_id is None or detail_url is None:
        return ""
    try:
        return str(detail_url(object_id))
    except NoReverseMatch:
        return ""


def _rows_context(request: HttpRequest, run: ImportRun, entity: Entity) -> dict[str, Any]:
    if run.state == RunState.IMPORTED:
        page = paginate(request, selectors.run_written_rows(run), per_page=ROWS_PER_PAGE)
        for row in page:
            setattr(row, "link", _link(entity, row.object_id))  # noqa: B010
        return {"page": page, "only_errors": False, "query": ""}
    only_errors = request.GET.get("errors") == "1"
    page = paginate(request, selectors.run_rows(run, only_errors=only_errors), per_page=ROWS_PER_PAGE)
    return {"page": page, "only_errors": only_errors, "query": "errors=1" if only_errors else ""}


@login_required
def import_run(request: HttpRequest, pk: UUID, duplicates_error: str = "") -> HttpResponse:
    user, run, entity = run_of(request, pk)
    stuck = services.is_stuck(run)
    running = run.state in RUNNING and not stuck
    context: dict[str, Any] = {
        "run": run,
        "entity": entity,
        "running": running,
        "stuck": stuck,
        "editable": services.is_editable(run),
        "may_import": run.state == RunState.CHECKED and bool(run.stored_name),
    }
    if run.state not in (RunState.UPLOADED, *RUNNING):
        context |= _rows_context(request, run, entity) | {"show_rows": True}
        context |= duplicates.page_context(request, user, run, error=duplicates_error)
    return render(request, "spreadsheets/imports/run.html", context, status=400 if duplicates_error else 200)


@login_required
@require_POST
def import_check(request: HttpRequest, pk: UUID) -> HttpResponse:
    user, run, _entity = run_of(request, pk)
    try:
        services.run_check_start(actor=user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("spreadsheets:import_run", pk=run.pk)


@login_required
@require_POST
def import_start(request: HttpRequest, pk: UUID) -> HttpResponse:
    user, run, _entity = run_of(request, pk)
    checked = request.POST.get(duplicates.CONFIRM_FIELD) == "on"
    try:
        services.run_import_start(actor=user, run=run, duplicates_checked=checked)
    except ValidationError as error:
        if duplicates.is_unchecked(error):  # shown next to the checkbox
            return import_run(request, pk, duplicates_error=" ".join(error.messages))
        messages.error(request, " ".join(error.messages))
    return redirect("spreadsheets:import_run", pk=run.pk)


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    """“My imports”: the user's own runs."""
    user = importer(request)
    page = paginate(request, selectors.runs_visible_to(user), per_page=RUNS_PER_PAGE)
    labels = {e.key: e.label for e in selectors.importable_entities(user)}
    for run in page:
        setattr(run, "entity_label", labels.get(run.entity, run.entity))  # noqa: B010
    return render(request, "spreadsheets/imports/list.html", {"page": page})
