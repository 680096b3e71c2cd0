"""What an importable entity type is: its columns, and how a row is checked (no writes)
and saved (through the same services as the forms)."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from django.db import models
from django.forms import BaseForm
from django.utils.functional import Promise

from bruecke.core.access import Perm

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation

Kind = Literal["text", "date", "partial_date", "choice", "choices", "decimal", "integer", "boolean"]
StrOrPromise = str | Promise
# A converted cell: text, a date, a partial date, a code, codes, a number or a boolean.
Value = Any

EXTERNAL_ID = "external_id"
# ImportContext.cache key: the column keys the file feeds (set by the engine).
MAPPED = "mapped_columns"


@dataclass(frozen=True)
class Column:
    """One column an entity understands. `key` is English and stable (the template's
    header and the saved mappings use it); `label` is what users read."""

    key: str
    label: StrOrPromise
    kind: Kind = "text"
    required: bool = False
    # Allowed codes with their labels, for choice columns (the value mapping and the template).
    choices: Callable[[], Sequence[tuple[str, StrOrPromise]]] | None = None
    # Other header names this column is suggested for (German and English, any case).
    aliases: tuple[str, ...] = ()
    max_length: int = 1000
    help: StrOrPromise = ""
    # Words the usual sheets write for a code (e.g. "arbeitslos gemeldet" -> "unemployed"),
    # understood without a value mapping; keys compared like value-mapping words.
    synonyms: Callable[[], Mapping[str, str]] | None = None


class RowInvalid(Exception):
    """A row that cannot be imported: (column key or None, message in the user's language)."""

    def __init__(self, errors: Sequence[tuple[str | None, StrOrPromise]]) -> None:
        super().__init__("row invalid")
        self.errors = [(column, str(message)) for column, message in errors]


def form_errors(form: BaseForm, columns_of_fields: dict[str, str] | None = None) -> RowInvalid:
    """A form's errors as row errors: field names are column keys unless mapped."""
    mapping = columns_of_fields or {}
    errors: list[tuple[str | None, StrOrPromise]] = []
    for name, messages in form.errors.items():
        column = None if name == "__all__" else mapping.get(name, name)
        errors.extend((column, str(message)) for message in messages)
    return RowInvalid(errors)


@dataclass
class ImportContext:
    """Who imports for which organisation; `cache` lives for one file (lookups by code)."""

    actor: User
    organisation: Organisation
    entity: str
    cache: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Saved:
    obj: models.Model
    changed: bool


class Entity(ABC):
    """An importable entity type. `prepare` validates a converted row without writing and
    returns what `save` needs; `save` writes through the services (audit, derived columns)
    and reports whether anything changed."""

    key: ClassVar[str]
    label: ClassVar[StrOrPromise]
    model: ClassVar[type[models.Model]]
    # Who may import this entity: the permission in the organisation imported into.
    permission: ClassVar[Perm] = Perm.EDIT_PARTICIPANTS
    columns: ClassVar[tuple[Column, ...]]
    order: ClassVar[int] = 50
    description: ClassVar[StrOrPromise] = ""

    def column(self, key: str) -> Column:
        return next(c for c in self.all_columns() if c.key == key)

    def all_columns(self) -> tuple[Column, ...]:
        """The external id first (required for every entity), then the entity's columns."""
        from bruecke.spreadsheets.columns import external_id_column

        return (external_id_column(), *self.columns)

    def existing(self, ctx: ImportContext, object_id: int) -> models.Model | None:
        """The record an external id points to, if it still exists and is the
        organisation's; override when the model reaches its organisation otherwise."""
        return self.model._default_manager.filter(pk=object_id, organisation=ctx.organisation).first()

    def look_up(self, ctx: ImportContext, rows: Sequence[dict[str, Value]]) -> None:
        """Reads what the rows of a chunk refer to at once, before `prepare` checks them one
        by one (into `ctx.cache`; nothing by default)."""
        return None

    @abstractmethod
    def prepare(self, ctx: ImportContext, values: dict[str, Value], existing: models.Model | None) -> Any:
        """Checks a row (raises RowInvalid); no writes."""

    @abstractmethod
    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        """Writes the row through the services; runs inside the file's transaction."""

    def save_chunk(self, ctx: ImportContext, rows: Sequence[tuple[Any, models.Model | None]]) -> list[Saved]:
        """Writes a chunk's checked rows (what `prepare` returned, the existing record) at
        once, in their order, through services made for many records; the same writes
        as `save` row by row. Raises RowInvalid or ValidationError for any row (the engine
        then saves the chunk row by row to name it). Entities that override it set
        `saves_chunks`."""
        return [self.save(ctx, prepared, existing) for prepared, existing in rows]

    # Whether the engine hands the rows of a chunk to `save_chunk` together.
    saves_chunks: ClassVar[bool] = False


def hashable(value: Value) -> Value:
    """A converted value in a form json can hash stably."""
    if isinstance(value, (datetime.date, Decimal)):
        return str(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return [hashable(v) for v in value]
    if hasattr(value, "__dataclass_fields__"):
        return str(value)
    return value
