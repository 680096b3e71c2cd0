"""The registry of list exports: one `ListExport` per list page.

A list export applies the page's own filter (the page's selector and filter form, fed
with the page's query string) to the rows the user may see, and names its columns: each
with a label, a value getter and a condition on the user. Notes (encrypted or internal
free text) are extra columns, written only when the user ticked them and may read them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.functional import Promise

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.reporting.tables import Cell


@dataclass
class ExportContext:
    """Who exports, and what the value getters may need once per export (not per row)."""

    user: User
    today: datetime.date
    query: Mapping[str, str] = field(default_factory=dict)  # the page's filter

    _organisations: dict[Perm, frozenset[int]] = field(default_factory=dict)
    # Lookups a list needs once per export (e.g. the labels of encrypted topics).
    memo: dict[str, Any] = field(default_factory=dict)

    def organisation_ids(self, perm: Perm) -> frozenset[int]:
        """The user's organisations with `perm`, asked once per export."""
        if perm not in self._organisations:
            self._organisations[perm] = frozenset(access.organisation_ids(self.user, perm))
        return self._organisations[perm]


Getter = Callable[[Any, ExportContext], Cell | bool]
UserCheck = Callable[[User], bool]


def everyone(user: User) -> bool:
    return True


def with_perm(perm: Perm) -> UserCheck:
    def check(user: User) -> bool:
        return access.has_perm(user, perm)

    return check


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise
    value: Getter
    visible: UserCheck = everyone


# The page's rows for a user and the page's query (simple values, as in the URL).
Rows = Callable[[User, Mapping[str, str], datetime.date], QuerySet[Any]]


@dataclass(frozen=True)
class ListExport:
    key: str
    title: str | Promise  # the file's sheet name and the job's title (never personal data)
    record_type: type[Model]  # the audit event's record type
    page: str  # the URL name of the list page (back link)
    may_export: UserCheck  # the page's own permission
    query_keys: tuple[str, ...]  # the query parameters the page's filter reads
    rows: Rows
    columns: tuple[Column, ...]
    notes: tuple[Column, ...] = ()
    may_read_notes: UserCheck = field(default=lambda user: False)
    # Filter values the page keeps in the session behind a token of its query string (the
    # participant search): (query, session) -> the values.
    from_session: Callable[[Mapping[str, str], Any], dict[str, str]] | None = None
    # Filter values that can be personal data (a name searched for): kept encrypted in the
    # job's parameters, decrypted by the worker (decision 0073).
    sealed_keys: tuple[str, ...] = ()
    # Besides each row's own record, the records of a person a row writes (its case, its
    # participant) as (record type, attribute path): the audit event names them all.
    names: tuple[tuple[type[Model], str], ...] = ()

    def require(self, user: User) -> None:
        """404 for anyone the list page itself would refuse."""
        if not (user.is_authenticated and self.may_export(user)):
            raise Http404

    def offers_notes(self, user: User) -> bool:
        return bool(self.notes) and self.may_read_notes(user)

    def columns_for(self, user: User, *, include_notes: bool) -> list[Column]:
        shown = [c for c in self.columns if c.visible(user)]
        if include_notes and self.offers_notes(user):
            shown += [c for c in self.notes if c.visible(user)]
        return shown

    def clean_query(self, query: Mapping[str, Any]) -> dict[str, str]:
        """Only the keys the page's filter reads, as short strings (job parameters)."""
        return {key: str(query[key])[:200] for key in self.query_keys if query.get(key) not in (None, "")}


_LISTS: dict[str, ListExport] = {}


def register(export: ListExport) -> ListExport:
    if export.key in _LISTS and _LISTS[export.key] is not export:
        raise ValueError(f"List export {export.key!r} is already registered.")
    _LISTS[export.key] = export
    return export


def _load() -> None:
    # The lists import the apps' selectors; loaded on first use, not at start-up.
    from bruecke.spreadsheets.exporting import lists  # noqa: F401


def get_list(key: str) -> ListExport | None:
    _load()
    return _LISTS.get(key)


def all_lists() -> list[ListExport]:
    _load()
    return list(_LISTS.values())


def rows_of(
    values: Iterable[Any], columns: list[Column], context: ExportContext
) -> Iterable[list[Cell | bool]]:
    for row in values:
        yield [column.value(row, context) for column in columns]
