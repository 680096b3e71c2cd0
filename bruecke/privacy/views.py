"""The data-subject access report (Art. 15 GDPR): on screen for printing, as PDF and JSON.

Made by the controller: staff who may edit the participant at the participant's own
organisation. Every copy made is recorded in the audit log, in the transaction that
builds it; the PDF is rendered after that transaction has committed. A report too large
or too slow for a PDF during the request is offered as a background job
(`privacy.jobs`), which the page then shows with its progress and download link."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bruecke.accounts.models import User
from bruecke.core import pdf
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.pdf_forms import PdfJobForm
from bruecke.core.submission import save_once
from bruecke.jobs.models import Job
from bruecke.jobs.selectors import jobs_visible_to
from bruecke.jobs.services import params_digest
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participant_get
from bruecke.privacy import jobs, report_document, services

# What the PDF link found (a query parameter of the page it sends the user back to):
# too large or too slow for the request, so the page offers the job; or too large for
# any PDF (a single huge text block), so it offers printing and JSON only.
PDF_AS_JOB = "job"
PDF_TOO_LARGE = "too-large"


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _language(request: HttpRequest) -> str:
    return report_document.language_or_default(request.GET.get("lang", ""), request.LANGUAGE_CODE)


def _report_context(request: HttpRequest, pk: int) -> tuple[Participant, dict[str, Any]]:
    """The report in the chosen language (labels are translated while it is built)."""
    participant = participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    context = report_document.report_context(
        participant=participant, user=_user(request), language=_language(request)
    )
    return participant, context


def _record_copy(request: HttpRequest, participant: Participant) -> None:
    audit_record(actor=_user(request), action=AuditAction.SUBJECT_ACCESS, obj=participant)


def _filename(participant: Participant, extension: str) -> str:
    # Never the participant's name: file names end up in download folders and mail.
    return f"auskunft-{participant.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download(body: bytes, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        io.BytesIO(body), as_attachment=True, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _latest_job(request: HttpRequest, participant: Participant, language: str) -> Job | None:
    """The user's newest PDF job of this report in this language (matched by the digest of
    its parameters, which compares alike on SQLite and PostgreSQL)."""
    digest = params_digest(jobs.job_params(participant=participant, language=language))
    return jobs_visible_to(request.user).filter(kind=jobs.KIND, params_digest=digest).first()


def _pdf_offer(request: HttpRequest, context: dict[str, Any]) -> str:
    """How the page offers the PDF: "direct" (a link), "job" or "none"."""
    found = request.GET.get("pdf")
    if found == PDF_TOO_LARGE:
        return "none"
    if found == PDF_AS_JOB or not context["pdf_allowed"]:
        return "job"
    return "direct"


@login_required
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        participant, context = _report_context(request, pk)
        _record_copy(request, participant)
    job = _latest_job(request, participant, context["language"])
    offer = _pdf_offer(request, context)
    page = {
        **context,
        "for_pdf": False,
        "pdf_offer": offer,
        "pdf_allowed": offer == "direct",
        "job": job,
        "job_form": PdfJobForm(initial={"lang": context["language"]}) if offer == "job" else None,
    }
    return render(request, report_document.TEMPLATE, page)


@login_required
def access_report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    with transaction.atomic():
        participant, context = _report_context(request, pk)
        url = reverse("privacy:access_report", args=[participant.pk]) + f"?lang={context['language']}"
        if not context["pdf_allowed"]:  # the page offers the PDF as a job
            return redirect(url)
        html = report_document.pdf_html(context)
        if not pdf.fits_request(html):
            return redirect(f"{url}&pdf={PDF_AS_JOB if pdf.fits_job(html) else PDF_TOO_LARGE}")
        _record_copy(request, participant)
    # Rendered after the audited read has committed: seconds of CPU hold no locks.
    try:
        body = pdf.render_pdf(html, report_document.STYLESHEETS)
    except pdf.PdfTooSlow:  # stopped after PDF_RENDER_TIMEOUT_SECONDS: a job has longer
        return redirect(f"{url}&pdf={PDF_AS_JOB}")
    return _download(body, _filename(participant, "pdf"), "application/pdf")


@login_required
@require_POST
def access_report_pdf_job(request: HttpRequest, pk: int) -> HttpResponse:
    """Starts the PDF as a background job and goes back to the report, which shows it.
    Who may start it: who may download the PDF directly."""
    participant = participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    form = PdfJobForm(request.POST)
    language = form.cleaned_data["lang"] if form.is_valid() else _language(request)
    report = reverse("privacy:access_report", args=[participant.pk])
    url = f"{report}?lang={language}&pdf={PDF_AS_JOB}#pdf-job"
    target = save_once(
        request,
        lambda: services.access_report_pdf_job_start(
            actor=_user(request), participant=participant, language=language
        ),
        lambda _job: url,
    )
    return redirect(target or url)


@login_required
def access_report_json(request: HttpRequest, pk: int) -> FileResponse:
    with transaction.atomic():
        participant, context = _report_context(request, pk)
        document = {
            "made_at": context["made_at"].isoformat(),
            "controller": participant.organisation.name,
            "language": context["language"],
            **context["report"].data(),
        }
        _record_copy(request, participant)
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    return _download(body, _filename(participant, "json"), "application/json; charset=utf-8")
