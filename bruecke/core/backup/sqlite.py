"""SQLite: copies through SQLite's online backup API, in both directions.

The application runs SQLite in WAL mode (bruecke/core/database.py): recent commits may
live only in the `-wal` file, so copying `db.sqlite3` alone is not consistent. The
backup API copies the database as one transaction sees it, while the server runs.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bruecke.core.backup.errors import BackupError
from bruecke.core.database import SQLITE_TIMEOUT_SECONDS


def database_path(database: Mapping[str, Any]) -> Path:
    name = str(database["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The SQLite database {name!r} is not a file that can be backed up.")
    return Path(name)


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    # A URI (percent-encoded) opens read-only; a plain path would create a missing file.
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection = sqlite3.connect(target, uri=read_only, timeout=SQLITE_TIMEOUT_SECONDS)
    try:
        yield connection
    finally:
        connection.close()


def copy_out(source: Path, target: Path) -> None:
    """Copies the live database to a new private file that needs no `-wal` beside it."""
    if not source.is_file():
        raise BackupError(f"The SQLite database {source} does not exist.")
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    with connect(source) as live, connect(target) as copy:
        live.backup(copy)
        # One self-contained file: the copy must not depend on a -wal file of its own.
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise BackupError(f"The copy of the SQLite database fails SQLite's check: {result}")


def copy_in(source: Path, target: Path) -> None:
    """Replaces the configured database's content by the backup's, as one transaction.

    Writing through the backup API (rather than renaming a file over the database) keeps
    SQLite's locking and write-ahead log in charge: a stale `-wal` file can never be
    replayed onto the new content, and a failure leaves the old content intact.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    with connect(source, read_only=True) as backup, connect(target) as live:
        backup.backup(live)
    target.chmod(0o600)
