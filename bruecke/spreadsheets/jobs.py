"""Background jobs of the import: the dry run (`spreadsheets.check`) and the import
(`spreadsheets.import`). Both run with the permissions of the user who uploaded the file,
checked again when they run, in the language of the upload, and return the row results
as a small CSV (the error report)."""

from __future__ import annotations

import io

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from bruecke.core.crypto import DecryptionError
from bruecke.jobs.models import Job
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.reporting.exporting.csv_format import BOM, write_rows
from bruecke.spreadsheets import duplicates, services
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, missing_columns, run_file

# Registers the list exports' job kind, which lives with the exports.
from bruecke.spreadsheets.exporting import job as _list_export_job  # noqa: F401
from bruecke.spreadsheets.models import ImportRun, RowOutcome, RunState
from bruecke.spreadsheets.reading import UnreadableFile, read_table
from bruecke.spreadsheets.selectors import run_entity, runs_visible_to

NOT_ALLOWED = gettext_noop(
    "You may no longer import this data type into this organisation, or the import no longer exists."
)
FILE_GONE = gettext_noop("The uploaded file is no longer available. Please upload it again.")
UNREADABLE = gettext_noop("The uploaded file can no longer be read. Please upload it again.")
MISSING_COLUMNS = gettext_noop("Required columns are not mapped. Please map the columns again.")
NOT_CHECKED = gettext_noop("Only a file whose dry run found no errors can be imported.")


@job_handler(services.CHECK_KIND)
def import_check(job: Job, progress: Progress) -> JobOutput:
    return _run(job, progress, dry_run=True)


@job_handler(services.IMPORT_KIND)
def import_file(job: Job, progress: Progress) -> JobOutput:
    return _run(job, progress, dry_run=False)


def _load(job: Job, *, dry_run: bool) -> ImportRun:
    """The run, if its uploader may still import its entity into its organisation."""
    user = job.created_by
    run_id = str(job.params.get("run", ""))
    if user is None:
        raise JobInputGone(NOT_ALLOWED)
    run = runs_visible_to(user).filter(pk=run_id).first() if len(run_id) == 36 else None
    if run is None:
        raise JobInputGone(NOT_ALLOWED)
    expected = RunState.CHECKING if dry_run else RunState.IMPORTING
    if run.state != expected or run.job_id != job.pk:
        raise JobFailed(NOT_CHECKED)
    return run


def _run(job: Job, progress: Progress, *, dry_run: bool) -> JobOutput:
    run = _load(job, dry_run=dry_run)
    entity = run_entity(run)
    assert job.created_by is not None
    with translation.override(run.language):
        try:
            data = services.read_stored_file(run)
        except (FileNotFoundError, DecryptionError):
            raise JobInputGone(FILE_GONE) from None
        try:
            table = read_table(data, run.file_name, sheet=run.sheet)
        except UnreadableFile:
            raise JobFailed(UNREADABLE) from None
        plan = Plan(entity, dict(run.columns), {k: dict(v) for k, v in run.values.items()})
        if missing_columns(plan, table):
            raise JobFailed(MISSING_COLUMNS)
        progress(0)
        ctx = ImportContext(actor=job.created_by, organisation=run.organisation, entity=entity.key)
        results: list[RowResult] = []
        # Progress is reported before and after the file's transaction, not inside it: a
        # write to the job's row there would stay invisible and hold a lock until the end.
        try:
            counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
        except UnreadableFile as error:
            # A broken row deep in the file (too long a cell, broken quoting): the reader's
            # message names row and column; the transaction has rolled back.
            raise JobFailed(error.message) from None
        if dry_run:  # probable duplicates of new participants: warnings kept with the run
            duplicates.record(run, duplicates.probable_duplicates(ctx, duplicates.file_rows(plan, table)))
        progress(0, counts.rows)
        services.run_record_result(
            run=run, entity=entity, results=results, counts=counts, dry_run=dry_run, progress=progress
        )
        progress(counts.rows, counts.rows)
        content = report_csv(run, results)
        stem = _("dry-run") if dry_run else _("import")
    return JobOutput(
        filename=f"{stem}-{run.pk.hex[:8]}.csv", content_type="text/csv; charset=utf-8", content=content
    )


def report_csv(run: ImportRun, results: list[RowResult]) -> bytes:
    """Row, external id, result, column (as the file names it) and message; one line per
    error, one line per row without errors. Cells are neutralised against formulas."""
    entity = run_entity(run)
    outcomes = {value: str(label) for value, label in RowOutcome.choices}
    buffer = io.StringIO()
    buffer.write(BOM)
    header: list[str | int] = [_("Row"), _("External id"), _("Result"), _("Column"), _("Message")]

    def lines() -> list[list[str | int]]:
        out: list[list[str | int]] = [header]
        for result in results:
            label = outcomes.get(result.outcome, result.outcome)
            errors = services.row_errors(entity, run, result)
            if not errors:
                out.append([result.row_number, result.external_id, label, "", ""])
            for error in errors:
                out.append([result.row_number, result.external_id, label, error["column"], error["message"]])
        return out

    write_rows(buffer, lines(), ";")
    return buffer.getvalue().encode("utf-8")
