"""`{% list_export "participants" %}`: the "Export" control of a list page, carrying the
page's current query string; the notes checkbox only for those who may read the notes."""

from __future__ import annotations

from typing import Any

from django import template

from bruecke.spreadsheets.exporting.registry import get_list

register = template.Library()


@register.inclusion_tag("spreadsheets/exports/_control.html", takes_context=True)
def list_export(context: dict[str, Any], key: str) -> dict[str, Any]:
    request = context["request"]
    export = get_list(key)
    user = request.user
    allowed = export is not None and user.is_authenticated and export.may_export(user)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "export": export if allowed else None,
        "query": query.urlencode(),
        "offers_notes": bool(allowed and export is not None and export.offers_notes(user)),
        "csrf_token": context.get("csrf_token"),
    }
