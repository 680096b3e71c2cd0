"""The import template download (an XLSX built for the user's language and rights)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from bruecke.accounts.models import User
from bruecke.core.access import has_perm
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.template import build_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def importable_by(user: User | AnonymousUser) -> list[Entity]:
    """The entity types the user may import into at least one of their organisations."""
    return [entity for entity in registry.all_entities() if has_perm(user, entity.permission)]


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """Anyone who may import something gets a sheet for each entity type they may import;
    everyone else gets 404. The template holds no personal data (no read event)."""
    entities = importable_by(request.user)
    if not entities:
        raise Http404
    response = HttpResponse(build_template(entities), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="bruecke-import-template.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
