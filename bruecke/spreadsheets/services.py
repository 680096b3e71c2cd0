"""Every write of the import flow: the upload (the file stored encrypted), the column and
value mapping, saved mappings, starting the dry run and the import, the results the
worker records, and the expiry of old runs. Each audited in its own transaction."""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bruecke.core import crypto
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.jobs.services import job_start
from bruecke.spreadsheets import duplicates
from bruecke.spreadsheets.base import Entity
from bruecke.spreadsheets.engine import Counts, RowResult
from bruecke.spreadsheets.mapping import header_key, suggest_columns
from bruecke.spreadsheets.models import ImportDuplicate, ImportMapping, ImportRow, ImportRun, RunState
from bruecke.spreadsheets.reading import read_table
from bruecke.spreadsheets.reading.table import sheet_names

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.jobs.models import Job
    from bruecke.network.models import Organisation

logger = logging.getLogger("bruecke.spreadsheets")

CHECK_KIND = "spreadsheets.check"
IMPORT_KIND = "spreadsheets.import"
LISTING_KIND = "spreadsheets.values"
# The associated data of the stored files: a blob copied elsewhere does not decrypt.
FILE_CONTEXT = "spreadsheets.ImportRun.file"
ROW_BATCH = 1000
# States in which the mapping may still change and a dry run may start.
EDITABLE_STATES = (RunState.UPLOADED, RunState.CHECKED, RunState.HAS_ERRORS, RunState.REJECTED)


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


# -- the stored file ---------------------------------------------------------------------


def _path(stored_name: str) -> Path:
    return Path(settings.IMPORT_FILES_DIR) / stored_name


def _store(data: bytes) -> str:
    """Writes the encrypted file under a random name; returns the name."""
    directory = Path(settings.IMPORT_FILES_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.bin"
    temporary = directory / f"{name}.part"
    with open(temporary, "wb") as handle:
        handle.write(crypto.encrypt_bytes(data, context=FILE_CONTEXT))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, directory / name)
    return name


def read_stored_file(run: ImportRun) -> bytes:
    """The uploaded file; FileNotFoundError once it is deleted, DecryptionError if tampered."""
    if not run.stored_name:
        raise FileNotFoundError(run.pk)
    return crypto.decrypt_bytes(_path(run.stored_name).read_bytes(), context=FILE_CONTEXT)


def _unlink(stored_name: str) -> None:
    if stored_name:
        _path(stored_name).unlink(missing_ok=True)


# -- upload and mapping ------------------------------------------------------------------


def _initial_columns(
    entity: Entity, headers: list[str], previous: ImportRun | None, mapping: ImportMapping | None
) -> dict[str, str]:
    """The previous version's mapping, else the saved one, else suggestions; only headers
    the file has."""
    source = (
        previous.columns if previous else mapping.columns if mapping else suggest_columns(entity, headers)
    )
    keys = {c.key for c in entity.all_columns()}
    return {k: h for k, h in source.items() if k in keys and h in headers}


def sheet_for(entity: Entity, upload: Upload, names: list[str] | None = None) -> str:
    """The worksheet named like the data type (as the template names its sheets, in German
    or English), else "" (the first sheet): a filled template imports without renaming."""
    names = sheet_names(upload.data, upload.name) if names is None else names
    if len(names) < 2:
        return ""
    wanted = set()
    for language in ("de", "en"):
        with translation.override(language):
            wanted.add(header_key(str(entity.label)))
    return next((name for name in names if header_key(name) in wanted), "")


def run_create(
    *,
    actor: User,
    entity: Entity,
    organisation: Organisation,
    upload: Upload,
    language: str,
    mapping: ImportMapping | None = None,
    previous: ImportRun | None = None,
) -> ImportRun:
    """Reads the headers (UnreadableFile for anything that is no readable table), stores
    the file encrypted and records the run. Nothing of the file's content but its headers
    enters the database."""
    sheets = sheet_names(upload.data, upload.name)
    table = read_table(upload.data, upload.name, sheet=sheet_for(entity, upload, sheets))
    headers = list(table.headers)
    if previous is not None and mapping is None:
        mapping = previous.mapping
    stored = _store(upload.data)
    try:
        run = ImportRun.objects.create(
            organisation=organisation,
            created_by=actor,
            entity=entity.key,
            file_name=os.path.basename(upload.name)[:255],
            file_sha256=hashlib.sha256(upload.data).hexdigest(),
            file_size=len(upload.data),
            stored_name=stored,
            sheet=table.sheet,
            sheets=sheets,
            headers=headers,
            columns=_initial_columns(entity, headers, previous, mapping),
            values=dict(previous.values if previous else mapping.values if mapping else {}),
            mapping=mapping,
            language=language[:8],
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=run,
            changed_fields=["entity", "file_name", "file_sha256", "file_size", "headers", "columns"],
        )
    except BaseException:
        _unlink(stored)
        raise
    return run


def _reset(run: ImportRun) -> None:
    """A changed mapping makes the last dry run's results stale."""
    ImportRow.objects.filter(run=run).delete()
    ImportDuplicate.objects.filter(run=run).delete()
    run.state, run.counts, run.finished_at = RunState.UPLOADED, {}, None


def run_sheets(run: ImportRun) -> list[str]:
    """The worksheets of the run's workbook ([] for a CSV file); read from the workbook's
    directory, no sheet's data is unpacked. FileNotFoundError once the file is deleted."""
    return sheet_names(read_stored_file(run), run.file_name)


@transaction.atomic
def run_set_sheet(*, actor: User, run: ImportRun, entity: Entity, sheet: str) -> ImportRun:
    """Reads the chosen worksheet's headers (UnreadableFile when it is missing or empty) and
    makes it the run's: the dry run and the import read the same sheet. Columns mapped to
    headers the new sheet also has stay; the others are suggested again."""
    _require_editable(run)
    table = read_table(read_stored_file(run), run.file_name, sheet=sheet)
    headers = list(table.headers)
    kept = {key: header for key, header in run.columns.items() if header in headers}
    suggested = suggest_columns(entity, headers)
    for key, header in suggested.items():
        if key not in kept and header not in kept.values():
            kept[key] = header
    run.sheet, run.headers, run.columns = table.sheet, headers, kept
    run.row_count, run.value_listing = None, {}
    _reset(run)
    fields = ["sheet", "headers", "columns", "row_count", "value_listing", "state", "counts", "finished_at"]
    run.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changed_fields=fields)
    return run


@transaction.atomic
def mapping_save(
    *,
    actor: User,
    organisation: Organisation,
    entity: str,
    name: str,
    columns: dict[str, str],
    values: dict[str, dict[str, str]],
) -> ImportMapping:
    """Creates the organisation's named mapping, or updates the one of that name."""
    mapping = (
        ImportMapping.objects.select_for_update()
        .filter(organisation=organisation, entity=entity, name=name)
        .first()
    )
    if mapping is None:
        mapping = ImportMapping.objects.create(
            organisation=organisation,
            entity=entity,
            name=name,
            columns=columns,
            values=values,
            created_by=actor,
        )
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=mapping, changed_fields=["name", "columns", "values"]
        )
        return mapping
    changed = [f for f, v in (("columns", columns), ("values", values)) if getattr(mapping, f) != v]
    mapping.columns, mapping.values = columns, values
    mapping.save(update_fields=["columns", "values", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=mapping, changed_fields=changed)
    return mapping


def is_stuck(run: ImportRun) -> bool:
    """A dry run or import whose job ended without recording a result (failed, interrupted)."""
    return run.state in (RunState.CHECKING, RunState.IMPORTING) and (run.job is None or not run.job.is_active)


def is_editable(run: ImportRun) -> bool:
    """The mapping may change and a dry run may start: not while running, never once imported."""
    return run.state in EDITABLE_STATES or is_stuck(run)


def _require_editable(run: ImportRun) -> None:
    if not is_editable(run):
        raise ValidationError(_("This import is running or done; its mapping can no longer change."))


@transaction.atomic
def run_set_columns(*, actor: User, run: ImportRun, columns: dict[str, str], save_as: str = "") -> ImportRun:
    """The column mapping of the run; with `save_as`, also kept as a named mapping."""
    _require_editable(run)
    run.columns = columns
    _reset(run)
    fields = ["columns", "state", "counts", "finished_at"]
    if save_as:
        run.mapping = mapping_save(
            actor=actor,
            organisation=run.organisation,
            entity=run.entity,
            name=save_as,
            columns=columns,
            values=run.values,
        )
        fields.append("mapping")
    run.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changed_fields=fields)
    return run


@transaction.atomic
def run_set_values(
    *, actor: User, run: ImportRun, values: dict[str, dict[str, str]], save_to_mapping: bool = False
) -> ImportRun:
    """Adds the chosen value mapping (word of the file -> code) to the run's, and if asked
    to the run's saved mapping."""
    _require_editable(run)
    merged = {key: dict(words) for key, words in run.values.items()}
    for key, words in values.items():
        merged.setdefault(key, {}).update(words)
    run.values = merged
    _reset(run)
    fields = ["values", "state", "counts", "finished_at"]
    run.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changed_fields=fields)
    if save_to_mapping and run.mapping is not None:
        mapping_save(
            actor=actor,
            organisation=run.organisation,
            entity=run.entity,
            name=run.mapping.name,
            columns=run.mapping.columns,
            values={**run.mapping.values, **merged},
        )
    return run


# -- the words of the choice columns -----------------------------------------------------


@transaction.atomic
def run_listing_start(*, actor: User, run: ImportRun) -> Job:
    """Lists the words of the run's choice columns in the background (a large file)."""
    _require_editable(run)
    if not run.stored_name:
        raise ValidationError(_("The file of this import has been deleted. Please upload it again."))
    job = job_start(
        actor=actor,
        kind=LISTING_KIND,
        params={"run": str(run.pk)},
        title=_("Values of a spreadsheet import (%(entity)s)") % {"entity": _entity_label(run)},
        organisation=run.organisation,
    )
    run.listing_job, run.value_listing = job, {}
    run.save(update_fields=["listing_job", "value_listing"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=run, changed_fields=["listing_job", "value_listing"]
    )
    return job


@transaction.atomic
def run_store_listing(*, run: ImportRun, listing: dict[str, object], row_count: int) -> ImportRun:
    """The worker's record of the listed words (choice columns only) and the row count."""
    run.value_listing, run.row_count = listing, row_count
    fields = ["value_listing", "row_count"]
    run.save(update_fields=fields)
    audit_record(actor=run.created_by, action=AuditAction.UPDATE, obj=run, changed_fields=fields)
    return run


# -- dry run and import ------------------------------------------------------------------


def _start(*, actor: User, run: ImportRun, kind: str, state: RunState, title: str) -> Job:
    job = job_start(
        actor=actor, kind=kind, params={"run": str(run.pk)}, title=title, organisation=run.organisation
    )
    run.state, run.job = state, job
    run.save(update_fields=["state", "job"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=run, changed_fields=["state", "job"])
    return job


def _entity_label(run: ImportRun) -> str:
    from bruecke.spreadsheets.registry import get

    entity = get(run.entity)
    return str(entity.label) if entity is not None else run.entity


@transaction.atomic
def run_check_start(*, actor: User, run: ImportRun) -> Job:
    """Starts the dry run in the background."""
    _require_editable(run)
    if not run.stored_name:
        raise ValidationError(_("The file of this import has been deleted. Please upload it again."))
    return _start(
        actor=actor,
        run=run,
        kind=CHECK_KIND,
        state=RunState.CHECKING,
        # Titles name the data type, never the file: a file name may name a person.
        title=_("Dry run of a spreadsheet import (%(entity)s)") % {"entity": _entity_label(run)},
    )


@transaction.atomic
def run_import_start(*, actor: User, run: ImportRun, duplicates_checked: bool = False) -> Job:
    """Starts the import; only after a dry run without errors, and after a dry run with
    possible duplicates only when the user confirms having checked them."""
    if run.state != RunState.CHECKED or not run.stored_name:
        raise ValidationError(_("Only a file whose dry run found no errors can be imported."))
    duplicates.require_checked(run, duplicates_checked)
    return _start(
        actor=actor,
        run=run,
        kind=IMPORT_KIND,
        state=RunState.IMPORTING,
        title=_("Spreadsheet import (%(entity)s)") % {"entity": _entity_label(run)},
    )


def row_errors(entity: Entity, run: ImportRun, result: RowResult) -> list[dict[str, str]]:
    """Errors with the column named as the file names it (its header), else its label."""
    labels = {c.key: str(c.label) for c in entity.all_columns()}
    return [
        {"column": run.columns.get(key, labels.get(key, key)) if key else "", "message": message}
        for key, message in result.errors
    ]


def _rows(entity: Entity, run: ImportRun, results: Iterable[RowResult]) -> Iterable[ImportRow]:
    for result in results:
        yield ImportRow(
            run=run,
            row_number=result.row_number,
            external_id=result.external_id[:200],
            outcome=result.outcome,
            object_id=result.object_id,
            errors=row_errors(entity, run, result),
        )


def final_state(counts: Counts, *, dry_run: bool) -> RunState:
    """The state a finished dry run or import leaves its run in (pages and command alike)."""
    if dry_run:
        return RunState.HAS_ERRORS if counts.errors else RunState.CHECKED
    return RunState.REJECTED if counts.errors else RunState.IMPORTED


@transaction.atomic
def run_record_result(
    *,
    run: ImportRun,
    entity: Entity,
    results: list[RowResult],
    counts: Counts,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportRun:
    """The worker's record of a dry run or import: the row results (replacing the previous
    ones), counts and state. A successful import is audited as one IMPORT event on the run
    (its counts and file hash are on the run, never the file's content), and its file is
    deleted once committed."""
    ImportRow.objects.filter(run=run).delete()
    batch: list[ImportRow] = []
    written = 0
    for row in _rows(entity, run, results):
        batch.append(row)
        if len(batch) >= ROW_BATCH:
            ImportRow.objects.bulk_create(batch)
            written += len(batch)
            batch = []
            if progress is not None:
                progress(written, len(results))
    ImportRow.objects.bulk_create(batch)
    run.counts, run.state, run.finished_at = (
        counts.as_dict(),
        final_state(counts, dry_run=dry_run),
        timezone.now(),
    )
    fields = ["counts", "state", "finished_at"]
    if run.state == RunState.IMPORTED:
        transaction.on_commit(partial(_unlink, run.stored_name))
        run.stored_name = ""
        fields.append("stored_name")
    run.save(update_fields=fields)
    action = AuditAction.IMPORT if run.state == RunState.IMPORTED else AuditAction.UPDATE
    audit_record(actor=run.created_by, action=action, obj=run, changed_fields=fields)
    return run


# -- expiry ------------------------------------------------------------------------------


def _expire_one(run: ImportRun) -> None:
    with transaction.atomic():
        ImportRow.objects.filter(run=run).delete()
        ImportDuplicate.objects.filter(run=run).delete()
        stored, run.stored_name, run.value_listing = run.stored_name, "", {}
        run.save(update_fields=["stored_name", "value_listing"])
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            obj=run,
            changed_fields=["stored_name", "rows", "value_listing"],
        )
        transaction.on_commit(partial(_unlink, stored))


def _orphans(before: datetime) -> int:
    """Files no run names (an upload whose transaction rolled back), once old enough."""
    directory = Path(settings.IMPORT_FILES_DIR)
    if not directory.is_dir():
        return 0
    known = set(ImportRun.objects.exclude(stored_name="").values_list("stored_name", flat=True))
    removed = 0
    for path in directory.iterdir():
        if path.name not in known and path.stat().st_mtime < before.timestamp():
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def expire_runs(now: datetime | None = None) -> int:
    """Runs older than IMPORT_RUN_DAYS lose their stored file and row results; the run
    with its counts and checksum stays. Returns how many runs were cleared."""
    before = (now or timezone.now()) - timedelta(days=settings.IMPORT_RUN_DAYS)
    old = ImportRun.objects.filter(created_at__lt=before).exclude(
        state__in=[RunState.CHECKING, RunState.IMPORTING]
    )
    due = old.exclude(stored_name="") | old.filter(rows__isnull=False) | old.filter(duplicates__isnull=False)
    cleared = 0
    for run in due.distinct().only("pk", "stored_name", "organisation_id")[:500]:
        _expire_one(run)
        cleared += 1
    _orphans(before)
    return cleared
