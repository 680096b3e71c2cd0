"""Imports outside a web request (the operator command `import_spreadsheet`): the plan from
a saved mapping, JSON files or the suggestions, and one recorded, audited run."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bruecke.core.access import organisation_ids
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.spreadsheets.base import Entity, ImportContext
from bruecke.spreadsheets.convert import Plan, word
from bruecke.spreadsheets.engine import Counts, RowResult, missing_columns, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.models import ImportMapping, ImportRow, ImportRun, RowOutcome, RunState
from bruecke.spreadsheets.reading import SourceTable
from bruecke.spreadsheets.services import final_state

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation


class PlanError(Exception):
    """The file cannot be run as asked (unknown column, unmapped required column, …)."""


def may_import(user: User, organisation: Organisation, entity: Entity) -> bool:
    return organisation.pk in organisation_ids(user, entity.permission)


def _check_columns(entity: Entity, columns: dict[str, Any], table: SourceTable) -> dict[str, str]:
    keys = {column.key for column in entity.all_columns()}
    for key, header in columns.items():
        if key not in keys:
            raise PlanError(_("The data type has no column “%(key)s”.") % {"key": key})
        if not isinstance(header, str) or header not in table.headers:
            raise PlanError(
                _("The file has no column headed “%(header)s” (for “%(key)s”).")
                % {"header": header, "key": key}
            )
    return dict(columns)


def _check_values(entity: Entity, values: dict[str, Any]) -> dict[str, dict[str, str]]:
    checked: dict[str, dict[str, str]] = {}
    for key, words in values.items():
        column = next((c for c in entity.all_columns() if c.key == key), None)
        if column is None or column.choices is None or not isinstance(words, dict):
            raise PlanError(_("“%(key)s” is not a column with allowed values.") % {"key": key})
        codes = {code for code, _label in column.choices()}
        for code in words.values():
            if code not in codes:
                raise PlanError(
                    _("“%(code)s” is not an allowed value of “%(key)s”.") % {"code": code, "key": key}
                )
        checked[key] = {word(str(text)): code for text, code in words.items()}
    return checked


def build_plan(
    entity: Entity,
    table: SourceTable,
    *,
    mapping: ImportMapping | None = None,
    columns: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
) -> Plan:
    """The saved mapping, else the given columns, else the suggestions from the headers;
    values given extend (and win over) the mapping's. Every required column must be fed."""
    if mapping is not None:
        chosen = _check_columns(entity, mapping.columns, table)
        value_map = _check_values(entity, mapping.values)
    else:
        chosen = _check_columns(entity, columns, table) if columns is not None else {}
        chosen = chosen or suggest_columns(entity, table.headers)
        value_map = {}
    for key, words in _check_values(entity, values or {}).items():
        value_map[key] = value_map.get(key, {}) | words
    plan = Plan(entity, chosen, value_map)
    missing = missing_columns(plan, table)
    if missing:
        labels = ", ".join(
            _("“%(label)s” (%(key)s)") % {"label": entity.column(key).label, "key": key} for key in missing
        )
        raise PlanError(
            _("No column of the file is mapped to these required columns: %(columns)s") % {"columns": labels}
        )
    return plan


@dataclass(frozen=True)
class Source:
    """The file as read: its name, checksum and size (the content is never stored)."""

    path: Path
    sha256: str
    size: int
    table: SourceTable

    @classmethod
    def of(cls, path: Path, data: bytes, table: SourceTable) -> Source:
        return cls(path, hashlib.sha256(data).hexdigest(), len(data), table)


def _error_rows(run: ImportRun, plan: Plan, results: list[RowResult]) -> list[ImportRow]:
    def header(key: str | None) -> str:
        return plan.columns.get(key, key) if key else ""

    return [
        ImportRow(
            run=run,
            row_number=result.row_number,
            external_id=result.external_id[:200],
            outcome=RowOutcome.ERROR,
            errors=[{"column": header(key), "message": message} for key, message in result.errors],
        )
        for result in results
    ]


@transaction.atomic
def import_file(
    *,
    actor: User,
    organisation: Organisation,
    source: Source,
    plan: Plan,
    dry_run: bool,
    on_row: Callable[[RowResult], None],
    progress: Callable[[int], None] | None = None,
    mapping: ImportMapping | None = None,
) -> tuple[ImportRun, Counts]:
    """Runs the file as one ImportRun of `actor` (all or nothing). The run keeps the file's
    name, checksum, size, mapping and counts, and the rows with errors; a kept import is
    audited as IMPORT on the run (each record's own events come from its services)."""
    entity = plan.entity
    if not may_import(actor, organisation, entity):
        raise PlanError(_("This user may not import this data type into this organisation."))
    run = ImportRun.objects.create(
        organisation=organisation,
        created_by=actor,
        entity=entity.key,
        file_name=source.path.name[:255],
        file_sha256=source.sha256,
        file_size=source.size,
        sheet=source.table.sheet[:100],
        headers=source.table.headers,
        columns=plan.columns,
        values=plan.values,
        mapping=mapping,
        language=translation.get_language() or "de",
        state=RunState.CHECKING if dry_run else RunState.IMPORTING,
    )
    failed: list[RowResult] = []

    def row_done(result: RowResult) -> None:
        if result.outcome == RowOutcome.ERROR:
            failed.append(result)
        on_row(result)

    ctx = ImportContext(actor=actor, organisation=organisation, entity=entity.key)
    counts = run_file(ctx, plan, source.table, dry_run=dry_run, on_row=row_done, progress=progress)
    ImportRow.objects.bulk_create(_error_rows(run, plan, failed), batch_size=1000)
    run.counts, run.state, run.finished_at = (
        counts.as_dict(),
        final_state(counts, dry_run=dry_run),
        timezone.now(),
    )
    run.save(update_fields=["counts", "state", "finished_at"])
    if run.state == RunState.IMPORTED:
        audit_record(actor=actor, action=AuditAction.IMPORT, obj=run, organisation=organisation)
    return run, counts
