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


def configure(database: Mapping[str, Any]) -> dict[str, Any]:
    """`database` (as dj_database_url parses it) with the options its engine needs."""
    result = dict(database)
    if result.get("ENGINE") == "django.db.backends.sqlite3":
        result["OPTIONS"] = {**SQLITE_OPTIONS, **result.get("OPTIONS", {})}
    return result
