"""The occupation search (KldB 2010): a page for staff, and a small fragment of choices
for the occupation field's search as one types (htmx)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.views_helpers import paginate
from bruecke.placement.kldb import RequirementLevel
from bruecke.placement.selectors import catalogue as selectors

FRAGMENT_SIZE = 10
PAGE_SIZE = 25


def _field_id(request: HttpRequest) -> str:
    """The id of the code input the fragment fills (letters, digits, _ and - only)."""
    value = request.GET.get("field", "")
    return value if value and len(value) <= 80 and value.replace("_", "").replace("-", "").isalnum() else ""


@login_required
def occupation_search(request: HttpRequest) -> HttpResponse:
    access.require(request.user, Perm.VIEW_PLACEMENT)
    query = selectors.normalise_query(request.GET.get("q", ""))
    if request.headers.get("HX-Request") == "true":
        response = _fragment(request, query)
        patch_vary_headers(response, ["HX-Request"])
        return response
    occupations = selectors.occupation_search(query)
    page = paginate(request, occupations, PAGE_SIZE)
    rows = list(page)
    groups = selectors.group_titles(rows)
    results = [
        {
            "occupation": o,
            "level": RequirementLevel(o.level).label if o.level else "",
            "groups": groups.get(o.code, []),
        }
        for o in rows
    ]
    context = {
        "query": query,
        "page": page,
        "results": results,
        "paginator_query": f"q={query}" if query else "",
    }
    response = render(request, "placement/catalogue/search.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _fragment(request: HttpRequest, query: str) -> HttpResponse:
    """The options under the occupation field: full codes only (opportunities need a
    5-digit code), at most ten; a button puts its code into the field (occupation-picker.js)."""
    field_id = _field_id(request)
    occupations = list(selectors.occupation_search(query, full_only=True)[: FRAGMENT_SIZE + 1])
    context = {
        "query": query,
        "occupations": occupations[:FRAGMENT_SIZE],
        "more": len(occupations) > FRAGMENT_SIZE,
        "field_id": field_id,
    }
    return render(request, "placement/catalogue/_options.html", context)
