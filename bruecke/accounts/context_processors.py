"""How long the signed-in session lasts, for the warning before it ends (WCAG 2.2.1)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from bruecke.accounts.middleware import absolute_seconds_left, idle_seconds_left

WARN_SECONDS = 120  # the warning comes this long before the end


def session_timing(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated or not hasattr(request, "session"):
        return {}
    # From the last refresh, not from this request: the session is saved at most once a minute.
    idle = round(idle_seconds_left(request))
    left = absolute_seconds_left(request)
    absolute_left = idle if left is None else int(left)
    return {
        "session_seconds": max(min(idle, absolute_left), 0),
        # Past the absolute lifetime no activity helps: the warning then says so.
        "session_extendable": absolute_left > int(settings.SESSION_COOKIE_AGE),
        "session_warn_seconds": WARN_SECONDS,
    }
