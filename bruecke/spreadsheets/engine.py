"""Running a file: every row converted, checked and (unless a dry run) saved, all or
nothing. An error anywhere rolls the whole file back; the remaining rows are still
checked so that the user sees every error at once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.spreadsheets.base import EXTERNAL_ID, MAPPED, ImportContext, RowInvalid, StrOrPromise, hashable
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


class _Runner:
    def __init__(self, ctx: ImportContext, plan: Plan, *, dry_run: bool) -> None:
        self.ctx, self.plan, self.dry_run = ctx, plan, dry_run
        self.entity = plan.entity
        self.seen: dict[str, int] = {}
        self.failed = False

    def row(self, number: int, index: dict[str, int], cells: list[Cell]) -> RowResult:
        values, raw_errors = convert_row(self.plan, index, cells)
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
        key = ExternalKey.objects.filter(
            organisation=ctx.organisation, entity=entity.key, external_id=result.external_id
        ).first()
        existing = entity.existing(ctx, key.object_id) if key is not None else None
        if key is not None and existing is not None and key.row_hash == digest:
            result.outcome, result.object_id = RowOutcome.UNCHANGED, existing.pk
            return
        prepared = entity.prepare(ctx, values, existing)
        if self.dry_run or self.failed:
            result.outcome = RowOutcome.CREATED if existing is None else RowOutcome.UPDATED
            result.object_id = existing.pk if existing is not None else None
            return
        with transaction.atomic():  # a failing save leaves the file's transaction usable
            saved = entity.save(ctx, prepared, existing)
            ExternalKey.objects.update_or_create(
                organisation=ctx.organisation,
                entity=entity.key,
                external_id=result.external_id,
                defaults={"object_id": saved.obj.pk, "row_hash": digest},
            )
        result.object_id = saved.obj.pk
        if existing is None:
            result.outcome = RowOutcome.CREATED
        else:
            result.outcome = RowOutcome.UPDATED if saved.changed else RowOutcome.UNCHANGED


def missing_columns(plan: Plan, table: SourceTable) -> list[str]:
    """Required column keys that no header of the file feeds."""
    index = plan.index(table)
    return [c.key for c in plan.entity.all_columns() if c.required and c.key not in index]


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
    with transaction.atomic():
        for number, cells in table.rows():
            if is_empty(cells):
                continue
            result = runner.row(number, index, cells)
            counts.add(result.outcome)
            on_row(result)
            if progress is not None:
                progress(counts.rows)
        if dry_run or runner.failed:
            transaction.set_rollback(True)
    return counts
