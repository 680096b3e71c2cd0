"""The data-subject access report (Art. 15 GDPR): on screen for printing, as PDF and JSON.

Made by the controller: staff who may edit the participant at the participant's own
organisation. Every copy made is recorded in the audit log."""

from __future__ import annotations

import io
import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.core import pdf
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participant_get
from bruecke.privacy.parts import EXCLUDED
from bruecke.privacy.subject_access import build_report

REPORT_LANGUAGES = (("de", "Deutsch"), ("en", "English"))
STYLESHEETS = ("css/print.css", "css/access-report.css")


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _language(request: HttpRequest) -> str:
    wanted = request.GET.get("lang", "")
    codes = {code for code, _name in REPORT_LANGUAGES}
    return wanted if wanted in codes else (request.LANGUAGE_CODE if request.LANGUAGE_CODE in codes else "de")


def _report_context(request: HttpRequest, pk: int) -> tuple[Participant, dict[str, Any]]:
    """Builds the report in the chosen language and records that a copy was made."""
    participant = participant_get(request.user, pk, Perm.EDIT_PARTICIPANTS)
    language = _language(request)
    with transaction.atomic(), translation.override(language):
        report = build_report(participant=participant, user=_user(request))
        audit_record(actor=_user(request), action=AuditAction.SUBJECT_ACCESS, obj=participant)
        context = {
            "report": report,
            "participant": participant,
            "language": language,
            "languages": REPORT_LANGUAGES,
            "made_at": timezone.localtime(),
            "made_by": _user(request).get_full_name() or _user(request).username,
            "excluded": [str(reason) for reason in EXCLUDED.values()],
        }
    return participant, context


def _filename(participant: Participant, extension: str) -> str:
    # Never the participant's name: file names end up in download folders and mail.
    return f"auskunft-{participant.pk}-{timezone.localdate():%Y-%m-%d}.{extension}"


@login_required
def access_report(request: HttpRequest, pk: int) -> HttpResponse:
    _participant, context = _report_context(request, pk)
    return render(request, "privacy/access_report.html", {**context, "for_pdf": False})


@login_required
def access_report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    participant, context = _report_context(request, pk)
    with translation.override(context["language"]):
        html = render_to_string("privacy/access_report.html", {**context, "for_pdf": True})
    response = FileResponse(
        io.BytesIO(pdf.render_pdf(html, STYLESHEETS)),
        as_attachment=True,
        filename=_filename(participant, "pdf"),
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def access_report_json(request: HttpRequest, pk: int) -> FileResponse:
    participant, context = _report_context(request, pk)
    report = context["report"]
    with translation.override(context["language"]):
        document = {
            "made_at": context["made_at"].isoformat(),
            "controller": participant.organisation.name,
            "language": context["language"],
            **report.data(),
        }
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
    response = FileResponse(
        io.BytesIO(body),
        as_attachment=True,
        filename=_filename(participant, "json"),
        content_type="application/json; charset=utf-8",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
