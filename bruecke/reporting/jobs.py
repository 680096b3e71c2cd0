"""Background jobs of the reports: any registered report as CSV/XLSX/PDF
(`reporting.export`) and the funder's participant file (`reporting.funder_file`).

Both run with the permissions of the user who started them, checked again when they run
(the builder and the funder file re-validate the choice): a user who lost access gets a
failed job with a message, never a file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.core.routers import replica_reads
from bruecke.jobs.models import Job
from bruecke.jobs.pdf import pdf_output
from bruecke.jobs.registry import job_download_check
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.reporting import exports
from bruecke.reporting.exporting import csv_format, pdf_format, xlsx_format
from bruecke.reporting.forms import ReportChoiceForm
from bruecke.reporting.funder import formats as funder_formats
from bruecke.reporting.funder.records import funder_participants, funder_people, funder_records
from bruecke.reporting.registry import build_report, report_kinds
from bruecke.reporting.scope import require_reporting

EXPORT_KIND = "reporting.export"
FUNDER_FILE_KIND = "reporting.funder_file"

NO_ACCESS = gettext_noop(
    "The report could not be made: you may no longer see this project or scope, or the "
    "period is no longer valid. Please choose the report again."
)
UNKNOWN_REPORT = gettext_noop("This report no longer exists.")
PDF_TOO_LARGE = gettext_noop("This report is too large for a PDF. Please export it as XLSX or CSV.")
PDF_TOO_SLOW = gettext_noop(
    "Making the PDF took longer than allowed and was stopped. Please export it as XLSX or CSV."
)
INVALID_FILE = gettext_noop(
    "The participant file did not pass its schema check and is not offered. Please tell your administrator."
)

EXPORT_STAGES = 3


@job_handler(EXPORT_KIND)
def report_export(job: Job, progress: Progress) -> JobOutput:
    params: dict[str, Any] = dict(job.params)
    kind = str(params.get("kind", ""))
    output_format = params.get("format")
    if kind not in report_kinds() or output_format not in exports.FORMATS:
        raise JobFailed(UNKNOWN_REPORT)
    progress(0, EXPORT_STAGES)
    # The file is written in the language of the page the export was started from.
    with translation.override(str(params.get("language") or settings.LANGUAGE_CODE)):
        try:
            # Figures from the read replica when it is current (decision 0069).
            with replica_reads():
                tables = build_report(kind, job.created_by, exports.choice_params(params))
        except Http404:
            raise JobInputGone(NO_ACCESS) from None
        progress(1, EXPORT_STAGES)
        filename = exports.export_filename(kind, params, output_format)
        if output_format == exports.PDF:
            html = pdf_format.report_html(
                title=exports.report_title(kind), subtitle=exports.period_text(params), tables=tables
            )
            return pdf_output(
                html,
                pdf_format.STYLESHEETS,
                progress=progress,
                filename=filename,
                too_large=PDF_TOO_LARGE,
                too_slow=PDF_TOO_SLOW,
            )
        if output_format == exports.XLSX:
            content = xlsx_format.tables_xlsx(tables)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content = csv_format.tables_csv(tables, exports.delimiter_of(output_format))
            content_type = "text/csv; charset=utf-8"
    progress(EXPORT_STAGES, EXPORT_STAGES)
    return JobOutput(filename=filename, content_type=content_type, content=content)


def _write_funder_file(job: Job, target: Path, progress: Progress) -> int:
    params = job.params
    try:
        choice = exports.funder_choice(job.created_by, params)
    except Http404:
        raise JobInputGone(NO_ACCESS) from None
    people = funder_people(job.created_by, choice.project, choice.scope)
    participants = funder_participants(
        job.created_by, choice.project, choice.scope, choice.start, choice.end, people
    )
    total = participants.count()
    progress(0, total or None)
    done = 0

    def counted(chunks: Any) -> Any:
        nonlocal done
        for chunk in chunks:
            yield chunk
            done += len(chunk)
            progress(done, total or None)

    chunks = counted(funder_records(participants, choice.project.pk, reader=job.created_by, people=people))
    with target.open("wb") as handle:
        if params.get("format") == exports.FUNDER_XML:
            header = funder_formats.FileHeader(
                project_id=choice.project.pk, start=choice.start, end=choice.end, created=timezone.now()
            )
            count = funder_formats.write_xml(handle, header, chunks)
        else:
            count = funder_formats.write_csv(handle, chunks, exports.delimiter_of(str(params.get("format"))))
    return count


@job_handler(FUNDER_FILE_KIND)
def funder_file(job: Job, progress: Progress) -> JobOutput:
    """Writes the file into a private temporary file first: the XML is checked against its
    schema before the framework moves it into place, so no invalid file is ever offered."""
    output_format = job.params.get("format")
    if output_format not in exports.FUNDER_FORMATS:
        raise JobFailed(UNKNOWN_REPORT)
    directory = Path(settings.JOB_RESULTS_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=directory, prefix=f"{job.pk}.", suffix=".tmp")
    os.close(descriptor)
    path = Path(name)
    try:
        with replica_reads():  # the records from the read replica when it is current
            _write_funder_file(job, path, progress)
        if output_format == exports.FUNDER_XML and funder_formats.validation_errors(path):
            # The reasons quote values of the file: never logged, never shown.
            raise JobFailed(INVALID_FILE)
    except BaseException:
        path.unlink(missing_ok=True)
        raise

    def copy(handle: IO[bytes]) -> None:
        # Called by the framework after this handler returned; the copy is then in place.
        try:
            with path.open("rb") as source:
                shutil.copyfileobj(source, handle)
        finally:
            path.unlink(missing_ok=True)

    return JobOutput(
        filename=exports.funder_filename(job.params),
        content_type="application/xml" if output_format == exports.FUNDER_XML else "text/csv; charset=utf-8",
        write=copy,
    )


@job_download_check(EXPORT_KIND)
def report_export_download(job: Job, user: User) -> None:
    """Handed out only while the user may still report on this choice (404 otherwise)."""
    require_reporting(user)
    if not ReportChoiceForm(user, exports.choice_params(job.params)).is_valid():
        raise Http404


@job_download_check(FUNDER_FILE_KIND)
def funder_file_download(job: Job, user: User) -> None:
    """The participant file only while the user may still make it for this choice: not
    after losing personal-data access or the team."""
    exports.funder_choice(user, job.params)
