"""Making a backup: one new private directory with the database, the files and a manifest."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bruecke.core.audit import audit_record
from bruecke.core.audit_labels import BACKUP_RECORD_TYPE
from bruecke.core.backup import inspect, postgres, sqlite
from bruecke.core.backup.errors import BackupError
from bruecke.core.backup.files import (
    DIRECTORY_MODE,
    copy_tree_into_backup,
    sha256_of,
)
from bruecke.core.backup.manifest import (
    FILE_SETS,
    FORMAT,
    FORMAT_VERSION,
    DatabaseEntry,
    FileSet,
    Manifest,
    bruecke_version,
    write_manifest,
)
from bruecke.core.models import AuditAction, AuditEvent

DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


@dataclass(frozen=True)
class DatabaseFacts:
    row_counts: dict[str, int]
    migrations: dict[str, list[str]]
    key_ids: list[str]


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: Manifest


def _facts(cursor: Any, vendor: str) -> DatabaseFacts:
    tables = inspect.table_names(cursor, vendor)
    return DatabaseFacts(
        row_counts=inspect.row_counts(cursor, tables),
        migrations=inspect.applied_migrations(cursor),
        key_ids=inspect.all_key_ids_in_use(cursor, vendor, tables),
    )


def _dump_postgresql(target: Path) -> DatabaseFacts:
    """Counts and dumps in one snapshot, so the manifest describes exactly the dump."""
    if connection.in_atomic_block:
        raise BackupError("A backup cannot run inside a transaction.")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        facts = _facts(cursor, "postgresql")
        # The snapshot stays valid while this transaction is open, i.e. during pg_dump.
        postgres.dump(settings.DATABASES["default"], target, snapshot=snapshot)
    return facts


def _copy_sqlite(target: Path) -> DatabaseFacts:
    sqlite.copy_out(sqlite.database_path(settings.DATABASES["default"]), target)
    # The facts come from the copy itself, not from the live database that moved on.
    with sqlite.connect(target, read_only=True) as copy:
        return _facts(copy.cursor(), "sqlite")


def _database_out(directory: Path) -> tuple[DatabaseEntry, DatabaseFacts]:
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Backups of {vendor} databases are not supported.")
    target = directory / DATABASE_FILES[vendor]
    facts = _dump_postgresql(target) if vendor == "postgresql" else _copy_sqlite(target)
    size, sha256 = sha256_of(target)
    entry: DatabaseEntry = {"vendor": vendor, "file": target.name, "size": size, "sha256": sha256}
    return entry, facts


def _file_sets(directory: Path) -> dict[str, FileSet]:
    file_sets: dict[str, FileSet] = {}
    for name, setting in FILE_SETS.items():
        # JOB_RESULTS_DIR exists once background jobs are installed.
        root = getattr(settings, setting, None)
        if root is not None:
            file_sets[name] = copy_tree_into_backup(Path(root), directory / name, name)
    return file_sets


def backup_create(*, to: Path, now: datetime | None = None) -> BackupResult:
    """Writes `to/bruecke-<UTC time>/`; the directory appears only when it is complete."""
    moment = now or datetime.now(UTC)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    if not to.exists():
        to.mkdir(mode=DIRECTORY_MODE, parents=True)
    final = to / f"bruecke-{stamp}"
    partial = to / f".bruecke-{stamp}.partial"
    if final.exists() or partial.exists():
        raise BackupError(f"{final} exists already; wait a second and start again.")
    os.mkdir(partial, DIRECTORY_MODE)
    try:
        # Database first, then files: a document deleted after the dump may be missing,
        # but every file the dumped rows point to was written before them.
        database, facts = _database_out(partial)
        manifest: Manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "bruecke_version": bruecke_version(),
            "created_at": moment.isoformat(timespec="seconds"),
            "database": database,
            "migrations": facts.migrations,
            "row_counts": facts.row_counts,
            "encryption_key_ids": facts.key_ids,
            "file_sets": _file_sets(partial),
        }
        write_manifest(partial, manifest)
        os.rename(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    _record(final)
    return BackupResult(path=final, manifest=manifest)


def _record(path: Path) -> None:
    """The data-protection officer sees in the audit log when a copy of everything was made
    (after the snapshot, so the event is in the live database, not in the backup)."""
    try:
        if _audit_schema_is_current():
            audit_record(
                actor=None, action=AuditAction.BACKUP, object_type=BACKUP_RECORD_TYPE, object_id=path.name
            )
        else:
            _record_in_older_schema(path.name)
    except DatabaseError as error:
        raise BackupError(
            f"The backup {path} is complete, but the audit log refused its event: {error}"
        ) from error


def _audit_schema_is_current() -> bool:
    """Whether the audit table has every column of today's model (a backup may be made
    before `migrate`, on an older schema)."""
    with connection.cursor() as cursor:
        columns = {
            c.name for c in connection.introspection.get_table_description(cursor, AuditEvent._meta.db_table)
        }
    return {f.column for f in AuditEvent._meta.concrete_fields} <= columns


def _record_in_older_schema(name: str) -> None:
    """The backup's event with the columns every schema version has had (migration 0001)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AuditEvent._meta.db_table} "  # noqa: S608 (the model's own table name)
            "(created_at, action, object_type, object_id, changed_fields, request_id) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            [timezone.now(), AuditAction.BACKUP.value, BACKUP_RECORD_TYPE, name, "[]", ""],
        )
