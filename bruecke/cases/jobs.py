"""The integration plan's PDF as a background job: for plans too large or too slow to be
made during a request (the print page stays available as well).

The job prints the version that was current when it was started, and reads it with the
permissions of the user who started it, checked again when it runs and when its result
is downloaded."""

from __future__ import annotations

from django.http import Http404
from django.template.loader import render_to_string
from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.cases import plan_print
from bruecke.cases.models import Case, PlanVersion
from bruecke.cases.selectors import cases as selectors
from bruecke.cases.selectors import plan as plan_selectors
from bruecke.core.audit import audit_read
from bruecke.jobs.models import Job
from bruecke.jobs.pdf import STAGES, pdf_output
from bruecke.jobs.registry import job_download_check
from bruecke.jobs.services import JobInputGone, JobOutput, Progress, job_handler

KIND = "cases.plan_pdf"

TOO_LARGE = gettext_noop(
    "This plan is too large to be made into a PDF. Print its print page with your browser's print function."
)
TOO_SLOW = gettext_noop(
    "Making the PDF took longer than allowed and was stopped. Print the plan's print page "
    "with your browser's print function."
)


def job_params(*, case: Case, version: PlanVersion, language: str) -> dict[str, object]:
    """Ids, the version's number and a language code only: never names."""
    return {"case_id": case.pk, "version": version.number, "language": language}


def _version(job: Job, user: User) -> tuple[Case, PlanVersion]:
    """The case and the version as `user` may read them today (404 otherwise)."""
    case = selectors.case_get(user, job.params.get("case_id"))
    return case, plan_selectors.plan_version_get(case, job.params.get("version"))


@job_handler(KIND)
def plan_pdf(job: Job, progress: Progress) -> JobOutput:
    progress(0, STAGES)
    try:
        case, version = _version(job, job.created_by)
    except Http404:
        raise JobInputGone from None
    language = str(job.params.get("language", ""))
    if language not in plan_print.PRINT_CODES:
        language = plan_print.default_language(case)
    context = plan_print.document_context(case, version, language)
    progress(1, STAGES)
    html = render_to_string("cases/plan_print.html", {**context, "for_pdf": True})
    return pdf_output(
        html,
        plan_print.STYLESHEETS,
        progress=progress,
        filename=plan_print.pdf_filename(case, version),
        too_large=TOO_LARGE,
        too_slow=TOO_SLOW,
    )


@job_download_check(KIND)
def plan_pdf_download(job: Job, user: User) -> None:
    """Handing out the PDF is a read of the version, like the direct download; only while
    the user may still read the case."""
    _case, version = _version(job, user)
    audit_read(actor=user, obj=version)
