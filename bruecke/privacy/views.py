"""The data-subject access report (Art. 15 GDPR): on screen for printing, as PDF and JSON.

Made by the controller: staff who may edit the participant at the participant's own
organisation. Every copy made is recorded in the audit log, in the transaction that
builds it; the PDF is rendered after that transaction has committed."""

from __future__ import annotations

import io
import json
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.core import pdf
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.participants.info_sheet import RTL_LANGUAGES
from bruecke.participants.models import InfoSheetLanguage, Participant
from bruecke.participants.selectors import participant_get
from bruecke.privacy.parts import EXCLUDED
from bruecke.privacy.subject_access import build_report

# The languages of the information sheet: the participant gets the report in the one they
# were informed in. The labels are translated; what was recorded stays as recorded.
REPORT_LANGUAGES = tuple(InfoSheetLanguage.choices)
STYLESHEETS = ("css/print.css", "css/access-report.css")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    codes = {code for code, _name in REPORT_LANGUAGES}
    return wanted if wanted in codes else (request.LANGUAGE_CODE if request.LANGUAGE_CODE in codes else "de")


def _report_context(request: HttpRequest, pk: int) -> tuple[Participant, dict[str, Any]]:
    """The report in the chosen language (labels are translated while it is built)."""
    participant = participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    language = _language(request)
    with translation.override(language):
        report = build_report(participant=participant, user=_user(request))
    return participant, {
        "report": report,
        "participant": participant,
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "languages": REPORT_LANGUAGES,
        "made_at": timezone.localtime(),
        "made_by": _user(request).get_full_name() or _user(request).username,
        "excluded": [str(reason) for reason in EXCLUDED.values()],
        "pdf_allowed": report.rows <= settings.ACCESS_REPORT_PDF_MAX_ROWS,
    }


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


@login_required
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        participant, context = _report_context(request, pk)
        _record_copy(request, participant)
    if request.GET.get("pdf") == "too-large":  # the PDF view found it over the rendering budget
        context["pdf_allowed"] = False
    return render(request, "privacy/access_report.html", {**context, "for_pdf": False})


@login_required
def access_report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    with transaction.atomic():
        participant, context = _report_context(request, pk)
        url = reverse("privacy:access_report", args=[participant.pk]) + f"?lang={context['language']}"
        if not context["pdf_allowed"]:  # the page says why and what to do instead
            return redirect(url)
        with translation.override(context["language"]):
            html = render_to_string("privacy/access_report.html", {**context, "for_pdf": True})
        try:
            pdf.check_size(html)
        except pdf.PdfTooLarge:
            return redirect(f"{url}&pdf=too-large")
        _record_copy(request, participant)
    # Rendered after the audited read has committed: seconds of CPU hold no locks.
    try:
        body = pdf.render_pdf(html, STYLESHEETS)
    except pdf.PdfTooSlow:  # stopped after PDF_RENDER_TIMEOUT_SECONDS: same offer as too large
        return redirect(f"{url}&pdf=too-large")
    return _download(body, _filename(participant, "pdf"), "application/pdf")


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
