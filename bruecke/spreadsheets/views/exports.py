"""List exports: start one from a list page (POST), and the user's list exports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.core.views_helpers import paginate
from bruecke.jobs.selectors import jobs_visible_to
from bruecke.spreadsheets.exporting.registry import ListExport, get_list
from bruecke.spreadsheets.exporting.start import KIND, list_export_start
from bruecke.spreadsheets.exporting.writing import FORMATS

EXPORTS_PER_PAGE = 25
QUERY_MAX_CHARS = 2000


def _export(key: str, user: User) -> ListExport:
    export = get_list(key)
    if export is None:
        raise Http404
    export.require(user)
    return export


@login_required
@require_POST
def export_start(request: HttpRequest, key: str) -> HttpResponse:
    """The list page's form sends its current query string (`query`), the format and
    whether to include notes; the search behind a token is resolved here."""
    user: User = request.user  # type: ignore[assignment]
    export = _export(key, user)
    output_format = request.POST.get("format", "")
    if output_format not in FORMATS:
        messages.error(request, _("Please choose CSV or XLSX as the format of the export."))
        return redirect(export.page)
    query = QueryDict(request.POST.get("query", "")[:QUERY_MAX_CHARS])
    filters = {name: query.get(name, "") for name in export.query_keys}
    if export.from_session is not None:
        filters.update(export.from_session(query, request.session))
    list_export_start(
        actor=user,
        export=export,
        query=filters,
        output_format=output_format,
        include_notes=request.POST.get("include_notes") == "1",
        language=get_language() or settings.LANGUAGE_CODE,
    )
    messages.success(request, _("The export has been started. It appears below as soon as it is ready."))
    return redirect("spreadsheets:exports")


@login_required
def export_list(request: HttpRequest) -> HttpResponse:
    """The user's list exports (titles without personal data), newest first."""
    page = paginate(request, jobs_visible_to(request.user).filter(kind=KIND), per_page=EXPORTS_PER_PAGE)
    return render(
        request,
        "spreadsheets/exports/list.html",
        {"page": page, "result_days": settings.JOB_RESULT_DAYS},
    )
