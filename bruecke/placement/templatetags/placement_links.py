"""`{% employer_link_panel employer as panel %}`: what the employer page's link panel
shows, from the employer and the request's user alone."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from bruecke.placement.models import Employer
from bruecke.placement.selectors import links as selectors
from bruecke.placement.selectors.scope import employers_visible_to

register = template.Library()

PANEL_LINKS = 10


@register.simple_tag(takes_context=True)
def employer_link_panel(context: template.Context, employer: Employer) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not employers_visible_to(user, write=True).filter(pk=employer.pk).exists():
        return {"may_manage": False, "links": []}
    now = timezone.now()
    links = []
    for link in selectors.employer_links(employer)[:PANEL_LINKS]:
        state = "used" if link.used_at else "valid" if link.expires_at > now else "expired"
        links.append({"link": link, "state": state})
    return {"may_manage": True, "links": links}
