"""The access report's PDF as a background job: for reports too large or too slow to be
made during a request (over ACCESS_REPORT_PDF_MAX_ROWS or the request's PDF budget).

The job reads with the permissions of the user who started it, checked again when it
runs and when its result is downloaded: a user who lost access, or a participant deleted
meanwhile, ends the job as failed with a message, and the result is no longer handed out.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.jobs.models import Job
from bruecke.jobs.pdf import STAGES, pdf_output
from bruecke.jobs.registry import job_download_check
from bruecke.jobs.services import JobInputGone, JobOutput, Progress, job_handler
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participant_get
from bruecke.privacy import report_document

KIND = "privacy.access_report_pdf"

TOO_LARGE = gettext_noop(
    "This report is too large to be made into a PDF. Print the report page with your "
    "browser's print function, or hand over the JSON copy."
)
TOO_SLOW = gettext_noop(
    "Making the PDF took longer than allowed and was stopped. Print the report page with "
    "your browser's print function, or hand over the JSON copy."
)


def job_params(*, participant: Participant, language: str) -> dict[str, object]:
    """Ids and a language code only: never names (parameters are stored and logged)."""
    return {"participant_id": participant.pk, "language": language}


def _participant(job: Job, user: User) -> Participant:
    """The participant as `user` may make the report today (404 otherwise)."""
    return participant_get(user, job.params.get("participant_id"), Perm.EDIT_PARTICIPANTS)


@job_handler(KIND)
def access_report_pdf(job: Job, progress: Progress) -> JobOutput:
    progress(0, STAGES)
    try:
        participant = _participant(job, job.created_by)
    except Http404:
        raise JobInputGone from None
    language = report_document.language_or_default(str(job.params.get("language", "")), "de")
    context = report_document.report_context(participant=participant, user=job.created_by, language=language)
    progress(1, STAGES)
    html = report_document.pdf_html(context)
    return pdf_output(
        html,
        report_document.STYLESHEETS,
        progress=progress,
        filename=report_document.pdf_filename(participant.pk),
        too_large=TOO_LARGE,
        too_slow=TOO_SLOW,
    )


@job_download_check(KIND)
def access_report_pdf_download(job: Job, user: User) -> None:
    """Handing out the copy is recorded like the direct download; only while the user may
    still make the report (not after a change of team, nor once the person was deleted)."""
    participant = _participant(job, user)
    audit_record(actor=user, action=AuditAction.SUBJECT_ACCESS, obj=participant)
