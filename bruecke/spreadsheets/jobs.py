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
from bruecke.jobs.progress import OutsideProgress, outside_progress_available
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.reporting.exporting.csv_format import BOM, write_rows
from bruecke.spreadsheets import duplicates, services
from bruecke.spreadsheets.base import ImportContext
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, missing_columns, run_file

# Registers the list exports' job kind, which lives with the exports.
from bruecke.spreadsheets.exporting import job as _list_export_job  # noqa: F401
from bruecke.spreadsheets.listing import count_words
from bruecke.spreadsheets.models import ImportRun, RowOutcome, RunState
from bruecke.spreadsheets.reading import SourceTable, UnreadableFile, read_table
from bruecke.spreadsheets.selectors import run_entity, runs_visible_to

NOT_ALLOWED = gettext_noop(
    "You may no longer import this data type into this organisation, or the import no longer exists."
)
FILE_GONE = gettext_noop("The uploaded file is no longer available. Please upload it again.")
UNREADABLE = gettext_noop("The uploaded file can no longer be read. Please upload it again.")
MISSING_COLUMNS = gettext_noop("Required columns are not mapped. Please map the columns again.")
NOT_CHECKED = gettext_noop("Only a file whose dry run found no errors can be imported.")
LISTING_STALE = gettext_noop(
    "The mapping of this import has changed or it is running. Please confirm the columns again."
)


@job_handler(services.CHECK_KIND)
def import_check(job: Job, progress: Progress) -> JobOutput:
    return _run(job, progress, dry_run=True)


@job_handler(services.IMPORT_KIND)
def import_file(job: Job, progress: Progress) -> JobOutput:
    return _run(job, progress, dry_run=False)


@job_handler(services.LISTING_KIND)
def import_listing(job: Job, progress: Progress) -> JobOutput:
    """Lists the words of the run's choice columns for the value mapping (decision 0072);
    the result file is the same list with its counts."""
    run = _visible_run(job)
    if run.listing_job_id != job.pk or not services.is_editable(run):
        raise JobFailed(LISTING_STALE)
    entity = run_entity(run)
    with translation.override(run.language):
        table = _table(run)
        plan = Plan(entity, dict(run.columns), {k: dict(v) for k, v in run.values.items()})
        progress(0)
        try:
            listing, rows = count_words(plan, table, progress=progress)
        except UnreadableFile as error:  # a broken row deep in the file
            raise JobFailed(error.message) from None
        services.run_store_listing(run=run, listing=listing, row_count=rows)
        progress(rows, rows)
        labels = {c.key: str(c.label) for c in entity.all_columns()}
        lines: list[list[str | int]] = [[_("Column"), _("Value"), _("Rows")]]
        for key, listed in listing["words"].items():
            lines += [[labels.get(key, key), text, count] for text, count in listed["words"]]
        buffer = io.StringIO()
        buffer.write(BOM)
        write_rows(buffer, lines, ";")
        stem = _("values")
    return JobOutput(
        filename=f"{stem}-{run.pk.hex[:8]}.csv",
        content_type="text/csv; charset=utf-8",
        content=buffer.getvalue().encode("utf-8"),
    )


def _visible_run(job: Job) -> ImportRun:
    """The run, if its uploader may still import its entity into its organisation."""
    user = job.created_by
    run_id = str(job.params.get("run", ""))
    if user is None:
        raise JobInputGone(NOT_ALLOWED)
    run = runs_visible_to(user).filter(pk=run_id).first() if len(run_id) == 36 else None
    if run is None:
        raise JobInputGone(NOT_ALLOWED)
    return run


def _table(run: ImportRun) -> SourceTable:
    try:
        data = services.read_stored_file(run)
    except (FileNotFoundError, DecryptionError):
        raise JobInputGone(FILE_GONE) from None
    try:
        return read_table(data, run.file_name, sheet=run.sheet)
    except UnreadableFile:
        raise JobFailed(UNREADABLE) from None


def _load(job: Job, *, dry_run: bool) -> ImportRun:
    """The run, if its uploader may still import its entity into its organisation."""
    run = _visible_run(job)
    expected = RunState.CHECKING if dry_run else RunState.IMPORTING
    if run.state != expected or run.job_id != job.pk:
        raise JobFailed(NOT_CHECKED)
    return run


def _run(job: Job, progress: Progress, *, dry_run: bool) -> JobOutput:
    run = _load(job, dry_run=dry_run)
    entity = run_entity(run)
    assert job.created_by is not None
    with translation.override(run.language):
        table = _table(run)
        plan = Plan(entity, dict(run.columns), {k: dict(v) for k, v in run.values.items()})
        if missing_columns(plan, table):
            raise JobFailed(MISSING_COLUMNS)
        ctx = ImportContext(actor=job.created_by, organisation=run.organisation, entity=entity.key)
        results: list[RowResult] = []
        # Progress during the rows goes through the progress connection, outside the file's
        # transaction: a write to the job's row inside it would stay invisible and hold a
        # lock until the end. Without that connection (SQLite) it is reported before and
        # after the rows only (docs/decisions/0072).
        rows = OutsideProgress(job, 0)
        try:
            if outside_progress_available():
                rows = OutsideProgress(job, _row_total(run, table, dry_run=dry_run))
            progress(0, rows.total or None)
            counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append, progress=rows)
        except UnreadableFile as error:
            # A broken row deep in the file (too long a cell, broken quoting): the reader's
            # message names row and column; the transaction has rolled back.
            raise JobFailed(error.message) from None
        finally:
            rows.close()
        if dry_run:  # probable duplicates of new participants: warnings kept with the run
            duplicates.record(run, duplicates.probable_duplicates(ctx, duplicates.file_rows(plan, table)))
        moved = rows.enabled  # the bar is full already: writing the results keeps it there
        progress(counts.rows if moved else 0, counts.rows)
        services.run_record_result(
            run=run,
            entity=entity,
            results=results,
            counts=counts,
            dry_run=dry_run,
            progress=None if moved else progress,
        )
        progress(counts.rows, counts.rows)
        content = report_csv(run, results)
        stem = _("dry-run") if dry_run else _("import")
    return JobOutput(
        filename=f"{stem}-{run.pk.hex[:8]}.csv", content_type="text/csv; charset=utf-8", content=content
    )


def _row_total(run: ImportRun, table: SourceTable, *, dry_run: bool) -> int:
    """The rows of the file for the progress bar: from the dry run before an import, from
    the listing of the words, else counted in one streaming pass (no cell is kept)."""
    if not dry_run and run.counts.get("rows"):
        return int(run.counts["rows"])
    if run.row_count is not None:
        return run.row_count
    return sum(1 for _row in table.rows())


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
