"""Running a file: every row converted, checked and (unless a dry run) saved, all or
nothing. An error anywhere rolls the whole file back; the remaining rows are still
checked so that the user sees every error at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.spreadsheets.base import (
    EXTERNAL_ID,
    MAPPED,
    Entity,
    ImportContext,
    RowInvalid,
    Saved,
    StrOrPromise,
    hashable,
)
from bruecke.spreadsheets.convert import Plan, convert_row, is_empty
from bruecke.spreadsheets.models import ExternalKey, RowOutcome
from bruecke.spreadsheets.reading import Cell, SourceTable


@dataclass
class RowResult:
    row_number: int
    external_id: str
    outcome: str
    object_id: int | None = None
    # (column key or None, message in the active language)
    errors: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass
class Counts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0

    def add(self, outcome: str) -> None:
        self.rows += 1
        if outcome == RowOutcome.ERROR:
            self.errors += 1
        else:
            setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in ("rows", "created", "updated", "unchanged", "errors")}


def row_hash(entity_key: str, values: dict[str, object]) -> str:
    canonical = json.dumps({k: hashable(v) for k, v in values.items()}, sort_keys=True, default=str)
    return hashlib.sha256(f"{entity_key}\n{canonical}".encode()).hexdigest()


def _validation_errors(error: ValidationError) -> list[tuple[str | None, str]]:
    if hasattr(error, "error_dict"):
        return [
            (None if name == "__all__" else name, message)
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [(None, message) for message in error.messages]


# Rows converted, looked up (external ids, records) and saved together: one query per
# chunk instead of one per row, and one savepoint per chunk instead of one per row.
CHUNK_ROWS = 500

Converted = tuple[int, dict[str, object], list[tuple[str | None, StrOrPromise]]]


class _SaveFailed(Exception):
    """A row's save failed: leaves the chunk's savepoint (rolled back) for the rest."""


class _Runner:
    def __init__(self, ctx: ImportContext, plan: Plan, *, dry_run: bool) -> None:
        self.ctx, self.plan, self.dry_run = ctx, plan, dry_run
        self.entity = plan.entity
        self.seen: dict[str, int] = {}
        self.failed = False
        self.keys: dict[str, ExternalKey] = {}
        self.records: dict[int, models.Model] | None = None
        self.new_keys: list[ExternalKey] = []
        self.changed_keys: list[ExternalKey] = []
        # While the rows of a chunk are checked for `save_chunk`: what each row would save.
        self.deferred: list[tuple[RowResult, object, models.Model | None, ExternalKey | None, str]] | None
        self.deferred = None

    def chunk(
        self, index: dict[str, int], rows: list[tuple[int, list[Cell]]], on_row: Callable[[RowResult], None]
    ) -> None:
        """Runs the rows of one chunk in order; their saves share one savepoint. After a
        failed save the chunk's saves are rolled back (the file is failed anyway) and the
        remaining rows are still checked."""
        converted: list[Converted] = [
            (number, *convert_row(self.plan, index, cells)) for number, cells in rows
        ]
        self._look_up(converted)
        at_once = self.entity.saves_chunks and not self.dry_run and not self.failed
        if at_once and self._chunk_at_once(converted, on_row):
            return
        pending = iter(converted)
        if not self.dry_run and not self.failed:
            try:
                with transaction.atomic():
                    for item in pending:
                        on_row(self.row(*item))
                        if self.failed:
                            raise _SaveFailed
                    self._write_keys()
            except _SaveFailed:
                self.new_keys, self.changed_keys = [], []
        for item in pending:
            on_row(self.row(*item))

    def _chunk_at_once(self, converted: list[Converted], on_row: Callable[[RowResult], None]) -> bool:
        """Checks every row of the chunk, then saves the checked rows with one call of the
        entity's `save_chunk` (in the chunk's savepoint) and reports the rows in order.
        When that save refuses a row it returns False with nothing kept or reported: the
        chunk then runs row by row, which names the row."""
        seen_before = dict(self.seen)
        self.deferred = []
        try:
            results = [self.row(*item) for item in converted]
            deferred, self.deferred = self.deferred, None
            if not self.failed and deferred:
                with transaction.atomic():
                    saved = self.entity.save_chunk(
                        self.ctx, [(prepared, existing) for _r, prepared, existing, _k, _d in deferred]
                    )
                    for (result, _prepared, existing, key, digest), done in zip(deferred, saved, strict=True):
                        self._saved(result, existing, key, digest, done)
                    self._write_keys()
        except (RowInvalid, ValidationError):
            self.seen, self.new_keys, self.changed_keys, self.deferred = seen_before, [], [], None
            return False
        for result in results:
            on_row(result)
        return True

    def _look_up(self, converted: list[Converted]) -> None:
        """The external keys of the chunk's rows and (unless the entity finds its records
        itself) the records they point to."""
        ids = {str(values.get(EXTERNAL_ID) or "") for _number, values, _errors in converted} - {""}
        found = ExternalKey.objects.filter(
            organisation=self.ctx.organisation, entity=self.entity.key, external_id__in=ids
        )
        self.keys = {key.external_id: key for key in found}
        # What the rows to check refer to (not the rows the re-import finds unchanged).
        self.entity.look_up(
            self.ctx,
            [
                values
                for _number, values, errors in converted
                if not errors and not self._unchanged(str(values.get(EXTERNAL_ID) or ""), values)
            ],
        )
        if type(self.entity).existing is Entity.existing:
            object_ids = [key.object_id for key in self.keys.values()]
            manager = self.entity.model._default_manager
            self.records = manager.filter(organisation=self.ctx.organisation).in_bulk(object_ids)
        else:
            self.records = None

    def _unchanged(self, external_id: str, values: dict[str, object]) -> bool:
        key = self.keys.get(external_id)
        return key is not None and key.row_hash == row_hash(self.entity.key, values)

    def _existing(self, key: ExternalKey | None) -> models.Model | None:
        if key is None:
            return None
        if self.records is None:
            return self.entity.existing(self.ctx, key.object_id)
        return self.records.get(key.object_id)

    def row(
        self, number: int, values: dict[str, object], raw_errors: list[tuple[str | None, StrOrPromise]]
    ) -> RowResult:
        errors: list[tuple[str | None, StrOrPromise]] = list(raw_errors)
        external_id = str(values.get(EXTERNAL_ID) or "")
        if external_id and external_id in self.seen:
            errors.append(
                (
                    EXTERNAL_ID,
                    _("This external id appears twice in the file (first in row %(row)s).")
                    % {"row": self.seen[external_id]},
                )
            )
        elif external_id:
            self.seen[external_id] = number
        result = RowResult(number, external_id, RowOutcome.ERROR)
        if not errors:
            try:
                self._apply(result, values)
            except RowInvalid as invalid:
                errors.extend(invalid.errors)
            except ValidationError as error:
                errors.extend(_validation_errors(error))
        if errors:
            self.failed = True
            result.outcome = RowOutcome.ERROR
            result.object_id = None
            result.errors = [(column, str(message)) for column, message in errors]
        return result

    def _apply(self, result: RowResult, values: dict[str, object]) -> None:
        ctx, entity = self.ctx, self.entity
        digest = row_hash(entity.key, values)
        key = self.keys.get(result.external_id)
        existing = self._existing(key)
        if key is not None and existing is not None and key.row_hash == digest:
            result.outcome, result.object_id = RowOutcome.UNCHANGED, existing.pk
            return
        prepared = entity.prepare(ctx, values, existing)
        if self.dry_run or self.failed or self.deferred is not None:
            result.outcome = RowOutcome.CREATED if existing is None else RowOutcome.UPDATED
            result.object_id = existing.pk if existing is not None else None
            if self.deferred is not None and not self.dry_run and not self.failed:
                self.deferred.append((result, prepared, existing, key, digest))
            return
        self._saved(result, existing, key, digest, entity.save(ctx, prepared, existing))

    def _saved(
        self,
        result: RowResult,
        existing: models.Model | None,
        key: ExternalKey | None,
        digest: str,
        saved: Saved,
    ) -> None:
        self._keep_key(key, result.external_id, saved.obj.pk, digest)
        result.object_id = saved.obj.pk
        if existing is None:
            result.outcome = RowOutcome.CREATED
        else:
            result.outcome = RowOutcome.UPDATED if saved.changed else RowOutcome.UNCHANGED

    def _keep_key(self, key: ExternalKey | None, external_id: str, object_id: int, digest: str) -> None:
        if key is None:
            self.new_keys.append(
                ExternalKey(
                    organisation=self.ctx.organisation,
                    entity=self.entity.key,
                    external_id=external_id,
                    object_id=object_id,
                    row_hash=digest,
                )
            )
        else:
            key.object_id, key.row_hash, key.updated_at = object_id, digest, timezone.now()
            self.changed_keys.append(key)

    def _write_keys(self) -> None:
        ExternalKey.objects.bulk_create(self.new_keys)
        ExternalKey.objects.bulk_update(self.changed_keys, ["object_id", "row_hash", "updated_at"])
        self.new_keys, self.changed_keys = [], []


def missing_columns(plan: Plan, table: SourceTable) -> list[str]:
    """Required column keys that no header of the file feeds."""
    index = plan.index(table)
    return [c.key for c in plan.entity.all_columns() if c.required and c.key not in index]


def _chunks(table: SourceTable) -> Iterator[list[tuple[int, list[Cell]]]]:
    """The non-empty rows, CHUNK_ROWS at a time (streamed: one chunk in memory)."""
    chunk: list[tuple[int, list[Cell]]] = []
    for number, cells in table.rows():
        if is_empty(cells):
            continue
        chunk.append((number, cells))
        if len(chunk) == CHUNK_ROWS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_file(
    ctx: ImportContext,
    plan: Plan,
    table: SourceTable,
    *,
    dry_run: bool,
    on_row: Callable[[RowResult], None],
    progress: Callable[[int], None] | None = None,
) -> Counts:
    """Runs every row; saves only when not a dry run, and keeps the saves only when no
    row failed. `on_row` receives each row's result, `progress` the rows done so far."""
    runner = _Runner(ctx, plan, dry_run=dry_run)
    index = plan.index(table)
    ctx.cache[MAPPED] = set(index)
    counts = Counts()

    def row_done(result: RowResult) -> None:
        counts.add(result.outcome)
        on_row(result)
        if progress is not None:
            progress(counts.rows)

    with transaction.atomic():
        for chunk in _chunks(table):
            runner.chunk(index, chunk, row_done)
        if dry_run or runner.failed:
            transaction.set_rollback(True)
    return counts
