"""Template helpers of the exports area (the reports page is shared by every area)."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import Http404

from bruecke.reporting.exports import require_funder_file

register = template.Library()


@register.simple_tag
def may_make_funder_file(user: Any) -> bool:
    """Whether the link to the funder file is offered (the page itself checks again)."""
    try:
        require_funder_file(user)
    except Http404:
        return False
    return True
