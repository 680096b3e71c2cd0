"""The tabs of the "Maßnahmen" section: catalogue, providers, referrals, referrals received.
Each tab is shown only to those who may open its page (the views check again)."""

from __future__ import annotations

from typing import Any

from django import template

from bruecke.core import access
from bruecke.core.access import Perm

register = template.Library()


@register.inclusion_tag("offers/catalogue/_tabs.html", takes_context=True)
def measures_tabs(context: dict[str, Any], tab: str) -> dict[str, Any]:
    user = context["request"].user
    return {
        "tab": tab,
        "show_referrals": access.has_perm(user, Perm.VIEW_PERSONAL_DATA),
        "show_incoming": access.has_perm(user, Perm.RECORD_CASE_WORK),
    }
