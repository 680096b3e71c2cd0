"""Which audit events named a record: the one test every reader of the log uses.

An event names a record in one of two ways (docs/decisions/0067): a page about one record
fills `object_type`/`object_id` (b-tree index); a page that showed several records lists
them all in `object_ids` as `{"participants.participant": [1, 2], "cases.case": [7]}`. On
PostgreSQL "was record X of type T named?" is one jsonb containment test (`@>`, served by
a GIN jsonb_path_ops index); on SQLite it is a `json_each` lookup.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Expression, F, Q
from django.db.models.sql.compiler import SQLCompiler

# PostgreSQL's planner turns a long OR of containment tests into one bitmap scan per
# term; beyond this many ids per statement the query text itself becomes the cost.
_IDS_PER_TERM_LIMIT = 5000

JsonId = int | str


def json_id(pk: Any) -> JsonId:
    """How a primary key appears in `object_ids`: integers as numbers, anything else as text."""
    if isinstance(pk, int):
        return pk
    text = str(pk)
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else text


class NamedInList(Expression):
    """True where `object_ids` lists any of `ids` under `object_type`."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, object_type: str, ids: Sequence[JsonId]) -> None:
        super().__init__(output_field=BooleanField())
        self.object_type = object_type
        self.ids = list(ids)
        self.column: Any = F("object_ids")

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        (self.column,) = exprs

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        column, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            terms = " OR ".join([f"{column} @> %s::jsonb"] * len(self.ids))
            values = [json.dumps({self.object_type: [i]}) for i in self.ids]
            return f"({terms})", [*params, *values]
        # SQLite (and others with JSON1): the list under the type's key, searched by value.
        placeholders = ", ".join(["%s"] * len(self.ids))
        path = '$."' + self.object_type.replace('"', "") + '"'
        # Only the compiled column and placeholders enter the text; values are parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({column}, %s) WHERE json_each.value IN ({placeholders}))"  # noqa: S608
        return sql, [*params, path, *self.ids]


def names_records(object_type: str, ids: Iterable[Any]) -> Q:
    """Events that named any of the records `ids` of `object_type`, alone or in a list."""
    wanted = list(dict.fromkeys(json_id(pk) for pk in ids))
    if not wanted:
        return Q(pk__in=[])
    condition = Q(object_type=object_type, object_id__in=[str(pk) for pk in wanted])
    for start in range(0, len(wanted), _IDS_PER_TERM_LIMIT):
        condition |= Q(NamedInList(object_type, wanted[start : start + _IDS_PER_TERM_LIMIT]))
    return condition


def names_record(object_type: str, pk: Any) -> Q:
    return names_records(object_type, [pk])


def record_types() -> list[str]:
    """Every kind of record a page can list (a record number without its kind may be any)."""
    return sorted(m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("bruecke."))


def records_shown(object_ids: dict[str, list[Any]] | None) -> list[tuple[str, int]]:
    """How many records of which kind a list event named, by the kinds' translated names."""
    from bruecke.core.audit_labels import record_type_label

    return [(record_type_label(t), len(ids)) for t, ids in (object_ids or {}).items()]
