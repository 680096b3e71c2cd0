"""SQLite, the embedded default, serves parallel requests without "database is locked".

The suite itself runs on an in-memory database, so these tests build a file database with
the options `core.database.configure` gives every SQLite database."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections, transaction

from bruecke.core import database

ALIAS = "parallel_sqlite"
THREADS = 8
ROUNDS = 15


@pytest.fixture
def file_database(tmp_path: Path, django_db_blocker: Any) -> Iterator[str]:
    settings = database.configure(
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "db.sqlite3")}
    )
    both = connections.configure_settings({"default": settings, ALIAS: settings})
    connections.settings[ALIAS] = both[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("CREATE TABLE audit (id INTEGER PRIMARY KEY, actor INTEGER, seen INTEGER)")
        yield ALIAS
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def _audited_write(alias: str, actor: int, errors: list[BaseException]) -> None:
    """Like a request that reads and then writes an audit event in one transaction: the
    read-then-write upgrade is what fails at once under SQLite's default DEFERRED mode."""
    try:
        for _round in range(ROUNDS):
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute("SELECT count(*) FROM audit")
                (seen,) = cursor.fetchone()
                cursor.execute("INSERT INTO audit (actor, seen) VALUES (%s, %s)", [actor, seen])
    except BaseException as error:
        errors.append(error)
    finally:
        connections[alias].close()


def _reader(alias: str, stop: threading.Event, errors: list[BaseException]) -> None:
    """Like the favicon or any page: reads while the writers write."""
    try:
        while not stop.is_set():
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT max(id) FROM audit")
    except BaseException as error:
        errors.append(error)
    finally:
        connections[alias].close()


def test_parallel_audit_writes_beside_reads_do_not_lock(file_database: str, django_db_blocker: Any) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()
    with django_db_blocker.unblock():
        writers = [
            threading.Thread(target=_audited_write, args=(file_database, actor, errors))
            for actor in range(THREADS)
        ]
        reader = threading.Thread(target=_reader, args=(file_database, stop, errors))
        reader.start()
        for thread in writers:
            thread.start()
        for thread in writers:
            thread.join()
        stop.set()
        reader.join()
        assert errors == []
        with connections[file_database].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM audit")
            assert cursor.fetchone() == (THREADS * ROUNDS,)


def test_file_database_runs_in_write_ahead_log_mode(file_database: str, django_db_blocker: Any) -> None:
    with django_db_blocker.unblock(), connections[file_database].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone() == ("wal",)
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone() == (database.SQLITE_TIMEOUT_SECONDS * 1000,)


def test_other_engines_are_left_alone() -> None:
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "x"}
    assert "OPTIONS" not in database.configure(dict(postgres))
