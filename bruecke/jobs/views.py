from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bruecke.core.audit import audit_read
from bruecke.core.views_helpers import paginate
from bruecke.jobs.registry import download_check_for
from bruecke.jobs.selectors import job_get_for_user, job_result_for_user, jobs_visible_to

JOBS_PER_PAGE = 25


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """ "Meine Aufträge": the user's own jobs. Titles name records by reference only, so
    the list shows no personal data and writes no read events."""
    page = paginate(request, jobs_visible_to(request.user), per_page=JOBS_PER_PAGE)
    return render(request, "jobs/list.html", {"page": page, "result_days": settings.JOB_RESULT_DAYS})


@login_required
@require_GET
def job_status(request: HttpRequest, job_id: str) -> HttpResponse:
    """The status fragment that pages poll with htmx while the job waits or runs."""
    job = job_get_for_user(request.user, job_id)
    since = _poll_since(request)
    # Every poll renews the idle session; after one idle period of watching, the display
    # stops polling, so an unattended screen is still signed out in the end.
    ended = time.time() - since > settings.SESSION_COOKIE_AGE
    return render(request, "jobs/_status_body.html", {"job": job, "poll_since": since, "poll_ended": ended})


def _poll_since(request: HttpRequest) -> int:
    """When the page began to poll (`since`, Unix seconds); now if absent or implausible."""
    now = int(time.time())
    text = request.GET.get("since", "")
    if text.isascii() and text.isdigit() and len(text) <= 12 and now - 86_400 <= int(text) <= now:
        return int(text)
    return now


@login_required
@require_GET
def job_download(request: HttpRequest, job_id: str) -> FileResponse:
    with transaction.atomic():
        job = job_result_for_user(request.user, job_id)
        audit_read(actor=request.user, obj=job)  # type: ignore[arg-type]
        check = download_check_for(job.kind)
        if check is not None:  # the kind's own access re-check and read event
            check(job, request.user)  # type: ignore[arg-type]
    response = FileResponse(
        job.result_file().open("rb"),
        as_attachment=True,
        filename=job.result_filename,
        content_type=job.result_content_type or "application/octet-stream",
    )
    # Also set by SecurityMiddleware for every answer; a download must never be sniffed
    # into HTML, whatever the settings say. (Cache-Control: no-store comes from our middleware.)
    response["X-Content-Type-Options"] = "nosniff"
    return response
