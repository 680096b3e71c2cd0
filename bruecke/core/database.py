"""Database connection settings that the URL alone cannot express."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# SQLite is the embedded default and serves several requests at once (a page, its favicon,
# an audit write). Without these, two writers fail at once with "database is locked":
# - the write-ahead log lets readers go on while one connection writes;
# - IMMEDIATE transactions take the write lock at BEGIN, so a writer waits for the busy
#   timeout instead of failing when a read transaction tries to become a write one
#   (SQLite cannot wait in that case, it answers SQLITE_BUSY at once);
# - synchronous=NORMAL is safe with WAL (a power cut may lose the last commit, never
#   corrupt the file); foreign keys stay enforced as Django expects.
SQLITE_TIMEOUT_SECONDS = 20
SQLITE_OPTIONS: dict[str, Any] = {
    "transaction_mode": "IMMEDIATE",
    "timeout": SQLITE_TIMEOUT_SECONDS,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        f"PRAGMA busy_timeout={SQLITE_TIMEOUT_SECONDS * 1000}"
    ),
}


# PostgreSQL: each gunicorn worker keeps its connection for this many seconds instead of
# opening one per request, and checks it before the first query of a request (one round
# trip) so that a server restart costs no failed request. Chosen by measurement
# (docs/benchmarks.md, "Serving"; decision 0032).
POSTGRES_CONN_MAX_AGE = 60
POSTGRES_CONN_HEALTH_CHECKS = True


def _is_sqlite(database: Mapping[str, Any]) -> bool:
    return database.get("ENGINE") == "django.db.backends.sqlite3"


def default_conn_max_age(database: Mapping[str, Any]) -> int:
    """Seconds a connection is kept when DATABASE_CONN_MAX_AGE is not set; SQLite: 0."""
    return 0 if _is_sqlite(database) else POSTGRES_CONN_MAX_AGE


def default_conn_health_checks(database: Mapping[str, Any]) -> bool:
    return False if _is_sqlite(database) else POSTGRES_CONN_HEALTH_CHECKS


def configure(
    database: Mapping[str, Any], *, conn_max_age: int = 0, conn_health_checks: bool = False
) -> dict[str, Any]:
    """`database` (as dj_database_url parses it) with the options its engine needs."""
    result = dict(database) | {"CONN_MAX_AGE": conn_max_age, "CONN_HEALTH_CHECKS": conn_health_checks}
    if _is_sqlite(result):
        result["OPTIONS"] = {**SQLITE_OPTIONS, **result.get("OPTIONS", {})}
    return result
