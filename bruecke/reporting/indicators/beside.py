"""Run the report's SQL aggregates beside its decryption pass (decision 0049, "speed").

The decryption of the encrypted answers is Python work on one core; the two aggregates
are database work. On PostgreSQL the aggregates run in a second thread on a second
connection while this thread decrypts, so the two overlap instead of adding up.

Both connections read the same data: this thread opens a REPEATABLE READ transaction and
exports its snapshot (`pg_export_snapshot`), the second connection imports it before its
first query. Without the overlap each of the report's queries would see its own snapshot;
with it the whole report is one consistent reading.

Run one after the other instead when the overlap cannot be right or is not possible:
on SQLite, and inside a transaction already open on the connection (the second
connection could not see its uncommitted writes, for instance in a test's transaction).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from django.db import connections, router, transaction

from bruecke.participants.models import Participant

Side = TypeVar("Side")
Main = TypeVar("Main")


def _read_alias() -> str:
    return router.db_for_read(Participant) or "default"


def can_overlap(alias: str) -> bool:
    connection = connections[alias]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _in_snapshot(alias: str, snapshot: str, work: Callable[[], Side]) -> Side:
    """`work` on this thread's own connection, reading the exported snapshot."""
    try:
        with transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                cursor.execute("SET TRANSACTION SNAPSHOT %s", [snapshot])
                # The aggregates are large expressions run once: compiling them took
                # longer than it saved (~0.5 s per aggregate at a million rows).
                cursor.execute("SET LOCAL jit = off")
            return work()
    finally:
        connections[alias].close()  # the thread's connection ends with the thread's work


def run_beside(side: Callable[[], Side], main: Callable[[], Main]) -> tuple[Side, Main]:
    """(side(), main()), overlapped where possible (module docstring)."""
    alias = _read_alias()
    if not can_overlap(alias):
        return side(), main()
    with transaction.atomic(using=alias):
        with connections[alias].cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()
        # The read alias of a replica scope is a context variable: the thread gets a copy.
        context = contextvars.copy_context()
        with ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(context.run, _in_snapshot, alias, snapshot, side)
            main_result = main()
            return future.result(), main_result
