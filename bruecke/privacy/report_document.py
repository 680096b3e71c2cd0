"""The access report (Art. 15 GDPR) as a document: its context and its HTML for the PDF.

Shared by the request (page, direct PDF, JSON) and by the background job that makes the
PDF of a report too large for a request (`privacy.report_job`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bruecke.accounts.models import User
from bruecke.participants.info_sheet import RTL_LANGUAGES
from bruecke.participants.models import InfoSheetLanguage, Participant
from bruecke.privacy.parts import EXCLUDED
from bruecke.privacy.subject_access import Report, build_report

# The languages of the information sheet: the participant gets the report in the one they
# were informed in. The labels are translated; what was recorded stays as recorded.
REPORT_LANGUAGES = tuple(InfoSheetLanguage.choices)
REPORT_CODES = frozenset(code for code, _name in REPORT_LANGUAGES)
STYLESHEETS = ("css/print.css", "css/access-report.css")
TEMPLATE = "privacy/access_report.html"


def language_or_default(wanted: str, fallback: str) -> str:
    """`wanted` if the report is made in it, else `fallback` if it is, else German."""
    if wanted in REPORT_CODES:
        return wanted
    return fallback if fallback in REPORT_CODES else "de"


def report_context(*, participant: Participant, user: User, language: str) -> dict[str, Any]:
    """The report as `user` may make it, in `language` (labels translated while built)."""
    with translation.override(language):
        report = build_report(participant=participant, user=user)
    return document_context(participant=participant, user=user, language=language, report=report)


def document_context(
    *, participant: Participant, user: User, language: str, report: Report
) -> dict[str, Any]:
    return {
        "report": report,
        "participant": participant,
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "languages": REPORT_LANGUAGES,
        "made_at": timezone.localtime(),
        "made_by": user.get_full_name() or user.username,
        "excluded": [str(reason) for reason in EXCLUDED.values()],
        "pdf_allowed": report.rows <= settings.ACCESS_REPORT_PDF_MAX_ROWS,
    }


def pdf_html(context: dict[str, Any]) -> str:
    """The HTML the PDF is made from: the page without its print options."""
    with translation.override(context["language"]):
        return render_to_string(TEMPLATE, {**context, "for_pdf": True})


def pdf_filename(participant_id: int) -> str:
    # Never the participant's name: file names end up in download folders and mail.
    return f"auskunft-{participant_id}-{timezone.localdate():%Y-%m-%d}.pdf"
