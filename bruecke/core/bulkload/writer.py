"""The bulk path's plumbing: COPY text lines, explicit ids, sequences and index rebuilds.

PostgreSQL only (psycopg 3 `cursor.copy()`); decision records 0053 and 0065.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

NULL = "\\N"


def value(item: Any) -> str:
    """One COPY text-format value (our values never contain tabs, newlines or backslashes)."""
    if item is None:
        return NULL
    if item is True:
        return "t"
    if item is False:
        return "f"
    return str(item)


def line(*values: Any) -> str:
    return "\t".join(map(value, values)) + "\n"


def chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


def copy(cursor: Any, table: str, columns: str, text: str) -> int:
    """Writes COPY text into `table`; returns the number of rows."""
    if not text:
        return 0
    raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
    with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
        stream.write(text)
    return text.count("\n")


def highest_id(cursor: Any, table: str) -> int:
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM " + table)  # noqa: S608 (constant names)
    return int(cursor.fetchone()[0])


def reset_sequence(cursor: Any, table: str) -> None:
    """The identity sequence continues after the explicit ids COPY wrote."""
    highest = "GREATEST((SELECT MAX(id) FROM " + table + "), 1)"  # noqa: S608
    cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), " + highest + ")", [table])


def tune(cursor: Any) -> None:
    """Settings of the loading transaction: no wait for the WAL flush, memory for index builds.

    As a superuser the foreign-key triggers are skipped (session_replication_role): every
    reference is derived from rows that exist, and tests/test_bulkload.py checks them all.
    """
    # Deferred foreign-key checks of earlier writes in the same transaction run now: an index
    # cannot be dropped or built on a table with pending trigger events.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET LOCAL synchronous_commit = off")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    cursor.execute("SET LOCAL work_mem = '64MB'")
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SET LOCAL session_replication_role = replica")


def drop_indexes(cursor: Any, table: str) -> list[str]:
    """Drops the secondary indexes of `table` (not the primary key, not constraints' indexes)
    and returns their definitions, so that they are built once after loading."""
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.schemaname = current_schema() AND i.tablename = %s
          AND NOT EXISTS (
            SELECT 1 FROM pg_constraint c
            WHERE c.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass
          )
        """,
        [table],
    )
    found = cursor.fetchall()
    for name, _definition in found:
        cursor.execute(f'DROP INDEX "{name}"')
    # A partitioned table's index reads "ON ONLY": built that way it would cover no partition.
    return [definition.replace(" ON ONLY ", " ON ") for _name, definition in found]


def create_indexes(cursor: Any, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)


@dataclass
class Tally:
    """Rows and seconds per phase, for the command's and the benchmark's report."""

    report: Callable[[str], None] = lambda _text: None
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    _started: float = field(default_factory=time.perf_counter)

    def add(self, table: str, rows: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + rows

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - self._started
        self._started = now
        self.report(f"{phase}: {self.seconds[phase]:.1f} s")
