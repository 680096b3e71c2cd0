"""Error pages: in the user's language, with the way back, never with technical details.

404 is also the answer for records outside a user's scope, so its text never says
whether a record exists. The 500 page renders without the database (the error may be
the database) and shows the request id that the log line carries.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string

from bruecke.core.middleware import current_request_context


def server_error(request: HttpRequest) -> HttpResponse:
    context = current_request_context()
    html = render_to_string("500.html", {"request_id": context.request_id if context else ""})
    return HttpResponseServerError(html)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a page that is too old (after the session ended, or after signing
    out and in again in another tab). The reason is Django's, not for users."""
    return render(request, "403_csrf.html", status=HttpResponseForbidden.status_code)
