"""The import template download (an XLSX built for the user's language and rights)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from bruecke.spreadsheets.selectors import importable_entities
from bruecke.spreadsheets.template import build_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """Anyone who may import something gets a sheet for each entity type they may import;
    everyone else gets 404. The template holds no personal data (no read event)."""
    entities = importable_entities(request.user)
    if not entities:
        raise Http404
    response = HttpResponse(build_template(entities), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bruecke-import-template.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
