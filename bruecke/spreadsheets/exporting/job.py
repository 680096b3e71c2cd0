"""The job kind `spreadsheets.list_export`: runs with the permissions of the user who
started it, checked again when it runs (a user who lost access gets a failed job, never a
file), streams the rows, and writes the EXPORT audit events, which name every record in
the file, once the file is complete.

The rows are read from the primary database, never from the read replica (decision 0073):
the access rules that choose the rows must be as current as the page's, and a long
streamed read on a hot standby can be cancelled by the replay it holds up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.core.crypto import DecryptionError
from bruecke.jobs.models import Job
from bruecke.jobs.registry import job_download_check
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.spreadsheets.exporting import writing
from bruecke.spreadsheets.exporting.audit import WrittenRecords, audit_export
from bruecke.spreadsheets.exporting.registry import ExportContext, ListExport, get_list, rows_of
from bruecke.spreadsheets.exporting.start import KIND, export_filename, query_of

CHUNK_SIZE = 2000
UNKNOWN_LIST = gettext_noop("This list can no longer be exported.")
NO_ACCESS = gettext_noop(
    "The list could not be exported: you may no longer see it or the record it was "
    "filtered by. Please start the export again from the list."
)


def _export_of(job: Job) -> ListExport:
    export = get_list(str(job.params.get("list", "")))
    if export is None or job.params.get("format") not in writing.FORMATS:
        raise JobFailed(UNKNOWN_LIST)
    return export


@job_handler(KIND)
def list_export(job: Job, progress: Progress) -> JobOutput:
    export = _export_of(job)
    user: User = job.created_by
    output_format = str(job.params["format"])
    try:
        query = query_of(job.params)
    except DecryptionError:  # its key was removed meanwhile: the search is gone
        raise JobInputGone(NO_ACCESS) from None
    language = str(job.params.get("language") or settings.LANGUAGE_CODE)
    try:
        export.require(user)
        with translation.override(language):
            rows = export.rows(user, query, timezone.localdate())
            total = rows.count()
    except Http404:
        raise JobInputGone(NO_ACCESS) from None
    progress(0, total)

    def write(handle: IO[bytes]) -> None:
        with translation.override(language):
            columns = export.columns_for(user, include_notes=bool(job.params.get("include_notes")))
            context = ExportContext(user=user, today=timezone.localdate(), query=query)
            header = [str(c.label) for c in columns]
            written = WrittenRecords(export)
            values: Iterator[Any] = written.counting(rows.iterator(chunk_size=CHUNK_SIZE))
            cells = rows_of(values, columns, context)
            counted = lambda done: progress(done, total)  # noqa: E731
            if output_format == writing.XLSX:
                writing.write_xlsx(handle, str(export.title), header, cells, counted)
            else:
                writing.write_csv(handle, header, cells, counted)
        audit_export(job, export, [c.key for c in columns], written)

    return JobOutput(
        filename=export_filename(export, output_format),
        content_type=writing.CONTENT_TYPES[output_format],
        write=write,
    )


@job_download_check(KIND)
def list_export_download(job: Job, user: User) -> None:
    """Handed out only while the user may still see the list (404 otherwise)."""
    export = get_list(str(job.params.get("list", "")))
    if export is None:
        raise Http404
    export.require(user)
