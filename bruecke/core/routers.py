"""Reads of reports and exports from a streaming read replica (decision 0069).

Without `DATABASE_REPLICA_URL` there is one database and nothing here changes a query.
With it, the settings add a `replica` alias, and reads go to it only inside an explicit
`replica_reads()` scope: the indicator report, the dashboard's figures and the report
export jobs (list exports read the primary, decision 0073). Everything else (sign-in,
case work, the audit events a report writes) stays on the primary, so a user never
misses a write of their own. The access rules are the same queries on either database.

The replica is used only while it is close behind the primary: its lag is read when the
scope opens, and above `DATABASE_REPLICA_MAX_LAG` seconds (or when the replica does not
answer) the scope reads from the primary instead. The page shows the data's age when it
came from the replica.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

REPLICA = "replica"
DEFAULT_MAX_LAG_SECONDS = 30

logger = logging.getLogger(__name__)

# The alias reads go to in the current scope (None: Django's default). A context
# variable, not a global: gunicorn's threads or an async caller each have their own.
_read_alias: ContextVar[str | None] = ContextVar("bruecke_read_alias", default=None)

# On the replica: how far its replayed data is behind. When everything it received is
# replayed it is as current as the stream (0), however long ago the primary's last
# write was; otherwise the age of the last transaction it replayed. A server that is not
# in recovery is the primary itself (a test mirror): 0. No running WAL receiver: unknown.
LAG_SQL = """
SELECT CASE
    WHEN NOT pg_is_in_recovery() THEN 0.0
    WHEN NOT EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN NULL
    WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0.0
    ELSE GREATEST(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0.0)
END
"""


@dataclass(frozen=True)
class ReadSource:
    """Where a scope's reads went: the alias, and the replica's lag in seconds if it was used."""

    alias: str
    lag_seconds: float | None = None

    @property
    def from_replica(self) -> bool:
        return self.alias != DEFAULT_DB_ALIAS


def replica_configured() -> bool:
    # The connection handler's view of DATABASES (what `connections[REPLICA]` would open).
    return REPLICA in connections.settings


def max_lag_seconds() -> float:
    return float(getattr(settings, "DATABASE_REPLICA_MAX_LAG", DEFAULT_MAX_LAG_SECONDS))


def measure_lag(alias: str = REPLICA) -> float | None:
    """Seconds the replica is behind; None when it cannot say (not streaming, not reachable)."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        return 0.0  # SQLite has no replica: an alias of it is the same file
    try:
        with connection.cursor() as cursor:
            cursor.execute(LAG_SQL)
            row = cursor.fetchone()
    except DatabaseError:
        # A replica that is down must not take the reports with it: the primary answers.
        logger.warning("read replica not reachable; reading from the primary", exc_info=True)
        connection.close()
        return None
    return None if row is None or row[0] is None else float(row[0])


def choose_source(lag_seconds: float | None, max_lag: float) -> ReadSource:
    """The replica while its lag is known and within the maximum, else the primary."""
    if lag_seconds is None or lag_seconds > max_lag:
        return ReadSource(DEFAULT_DB_ALIAS)
    return ReadSource(REPLICA, lag_seconds)


@contextmanager
def replica_reads() -> Iterator[ReadSource]:
    """Sends the reads inside the block to the replica when it is configured and current.

    Nested scopes keep the outer scope's choice (one lag reading per report)."""
    current = _read_alias.get()
    if current is not None:
        yield ReadSource(current)
        return
    source = ReadSource(DEFAULT_DB_ALIAS)
    if replica_configured():
        source = choose_source(measure_lag(), max_lag_seconds())
    token = _read_alias.set(source.alias)
    try:
        yield source
    finally:
        _read_alias.reset(token)


class ReplicaRouter:
    """Reads inside `replica_reads()` to the scope's alias; every write to the primary."""

    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        # Outside a scope the primary, even for a row that was read in one: its related
        # rows must not come from the replica behind the caller's back.
        return _read_alias.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS  # a streaming replica copies the primary's schema
