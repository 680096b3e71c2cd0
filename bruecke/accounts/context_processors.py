"""How long the signed-in session lasts, for the warning before it ends (WCAG 2.2.1)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from bruecke.accounts.middleware import AUTH_AT

WARN_SECONDS = 120  # the warning comes this long before the end


def session_timing(request: HttpRequest) -> dict[str, Any]:
    if not request.user.is_authenticated or not hasattr(request, "session"):
        return {}
    idle = int(settings.SESSION_COOKIE_AGE)
    started = request.session.get(AUTH_AT)
    absolute_left = idle
    if started is not None:
        absolute_left = int(settings.SESSION_ABSOLUTE_HOURS * 3600 - (time.time() - float(started)))
    return {
        "session_seconds": max(min(idle, absolute_left), 0),
        # Past the absolute lifetime no activity helps: the warning then says so.
        "session_extendable": absolute_left > idle,
        "session_warn_seconds": WARN_SECONDS,
    }
