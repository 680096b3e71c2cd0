"""Restoring a backup into the configured database and directories, then checking it.

Order: everything that can be checked without changing anything is checked first (the
backup's checksums, its migration state, the keys it needs, an empty target). Then the
database is replaced in one transaction, then the files. Then the result is verified:
row counts, file checksums, and one decrypted value per encrypted column and key.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from bruecke.core import crypto
from bruecke.core.audit import audit_record
from bruecke.core.audit_labels import BACKUP_RECORD_TYPE
from bruecke.core.backup import inspect, postgres, sqlite
from bruecke.core.backup.errors import BackupError, HalfRestoredError, VerificationError
from bruecke.core.backup.files import has_files, restore_tree, sha256_of, tree_problems
from bruecke.core.backup.manifest import FILE_SETS, Manifest, read_manifest
from bruecke.core.models import AuditAction

# Rows in these tables mean the database is in use (every change writes an audit event).
IN_USE_MODELS = ("accounts.User", "core.AuditEvent", "participants.Participant")


@dataclass
class RestoreResult:
    manifest: Manifest
    tables: int = 0
    rows: int = 0
    files: int = 0
    decrypted: int = 0
    pending_migrations: list[str] = field(default_factory=list)
    dropped_tables: list[str] = field(default_factory=list)
    removed_files: list[str] = field(default_factory=list)
    skipped_file_sets: list[str] = field(default_factory=list)
    recorded: bool = False  # in the restored audit log
    targets: dict[str, Path] = field(default_factory=dict)  # file set -> its directory here


def _check_backup_intact(source: Path, manifest: Manifest) -> None:
    problems: list[str] = []
    database = manifest["database"]
    path = source / Path(database["file"]).name
    if not path.is_file():
        problems.append(f"database: {path.name} is missing")
    elif sha256_of(path) != (database["size"], database["sha256"]):
        problems.append(f"database: {path.name} differs from the manifest (checksum)")
    for name, file_set in manifest["file_sets"].items():
        root = source / Path(file_set["directory"]).name
        problems.extend(tree_problems(root, file_set, where=name, extra_allowed=True))
    if problems:
        raise VerificationError("The backup is damaged or was changed; nothing was restored.", problems)


def _check_compatible(manifest: Manifest, result: RestoreResult) -> None:
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(
            f"The backup holds a {vendor} database, but this installation is configured for "
            f"{connection.vendor} (DATABASE_URL)."
        )
    comparison = inspect.compare_migrations(manifest["migrations"])
    if comparison.unknown:
        raise BackupError(
            "The backup was made by a newer version of Brücke (version "
            f"{manifest['bruecke_version']}); this version does not know its migrations "
            f"{', '.join(comparison.unknown)}. Install that version or a later one, then restore."
        )
    result.pending_migrations = comparison.pending
    missing = sorted(set(manifest["encryption_key_ids"]) - set(crypto.keyring().keys))
    if missing:
        raise BackupError(
            f"The backup's encrypted values need the key(s) {', '.join(missing)}, which "
            "FIELD_ENCRYPTION_KEYS does not hold. Without them the restored data is unreadable; "
            "set the keys kept with your backups, then restore. Nothing was changed."
        )


def _file_targets(manifest: Manifest, result: RestoreResult) -> dict[str, Path]:
    targets: dict[str, Path] = {}
    for name in manifest["file_sets"]:
        root = getattr(settings, FILE_SETS.get(name, ""), None)
        if root is None:
            result.skipped_file_sets.append(name)
        else:
            targets[name] = Path(root)
    return targets


def _occupied(targets: dict[str, Path]) -> list[str]:
    found: list[str] = []
    with connection.cursor() as cursor:
        tables = set(inspect.table_names(cursor, connection.vendor))
        for label in IN_USE_MODELS:
            table = apps.get_model(label)._meta.db_table
            if table in tables and inspect.row_counts(cursor, [table])[table]:
                found.append(f"the database has rows in {table}")
    found.extend(
        f"{FILE_SETS[name]} ({root}) holds files" for name, root in targets.items() if has_files(root)
    )
    return found


def _other_sessions() -> int:
    """Client connections to the target other than ours: a running application, whose
    locks would make pg_restore wait, and which would go on working on the old data."""
    if connection.vendor != "postgresql":
        return 0  # SQLite shows no sessions; the operator guide says to stop the server
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return int(cursor.fetchone()[0])


def _drop_leftover_tables(manifest: Manifest) -> list[str]:
    """Tables of the replaced database that the backup does not have (PostgreSQL only:
    pg_restore --clean drops and recreates only the objects in the dump)."""
    with transaction.atomic(), connection.cursor() as cursor:
        leftover = sorted(set(inspect.table_names(cursor, "postgresql")) - set(manifest["row_counts"]))
        for table in leftover:
            cursor.execute(f"DROP TABLE IF EXISTS {inspect.quote(table)} CASCADE")
    return leftover


def _restore_database(source: Path, manifest: Manifest, result: RestoreResult) -> None:
    database = settings.DATABASES["default"]
    path = source / Path(manifest["database"]["file"]).name
    connection.close()  # no open connection of our own may hold locks on what is replaced
    if connection.vendor == "postgresql":
        postgres.restore(database, path)
        try:
            result.dropped_tables = _drop_leftover_tables(manifest)
        except DatabaseError as error:
            raise HalfRestoredError(
                "HALF RESTORED: the database was restored, but tables of the replaced database that "
                f"the backup does not have could not be dropped ({error}). Drop them, or restore "
                "again with --force."
            ) from error
    else:
        sqlite.copy_in(path, sqlite.database_path(database))
    connection.close()


def _verify(manifest: Manifest, targets: dict[str, Path], result: RestoreResult) -> None:
    problems: list[str] = []
    expected = manifest["row_counts"]
    with connection.cursor() as cursor:
        tables = inspect.table_names(cursor, connection.vendor)
        problems.extend(f"table {t} is missing" for t in expected if t not in tables)
        problems.extend(f"table {t} is not in the backup" for t in tables if t not in expected)
        counts = inspect.row_counts(cursor, [t for t in expected if t in tables])
        problems.extend(
            f"table {t}: {n} rows, the backup has {expected[t]}"
            for t, n in counts.items()
            if n != expected[t]
        )
        result.decrypted, key_problems = inspect.decryption_problems(cursor, connection.vendor, tables)
    for name, root in targets.items():
        problems.extend(tree_problems(root, manifest["file_sets"][name], where=name, extra_allowed=False))
    result.tables, result.rows = len(counts), sum(counts.values())
    result.files = sum(manifest["file_sets"][name]["count"] for name in targets)
    if key_problems:
        raise VerificationError(
            "RESTORED, BUT UNREADABLE: the encrypted values do not decrypt with the configured "
            "FIELD_ENCRYPTION_KEYS (wrong key?). Do not use this database; set the keys that were "
            "in use when the backup was made and restore again with --force.",
            key_problems + problems,
        )
    if problems:
        raise VerificationError(
            "RESTORED, BUT THE CHECK FAILED: the restored data differs from the backup's manifest. "
            "Do not use it; restore again with --force, or from another backup.",
            problems,
        )


def _refuse_unless_ready(source: Path, manifest: Manifest, result: RestoreResult, force: bool) -> None:
    """Every check that needs no change: afterwards the restore may replace things."""
    _check_backup_intact(source, manifest)
    _check_compatible(manifest, result)
    try:
        occupied = _occupied(result.targets)
    except DatabaseError as error:
        raise BackupError(
            f"The configured database cannot be opened ({error}). On PostgreSQL create it first "
            "(createdb), then restore. Nothing was changed."
        ) from error
    sessions = _other_sessions()
    if sessions:
        raise BackupError(
            f"{sessions} other connection(s) to the database are open: stop the application "
            "(web server, workers, timers) before restoring. Nothing was changed."
        )
    if occupied and not force:
        raise BackupError(
            "The target is not empty: "
            + "; ".join(occupied)
            + ". Restoring would replace it. If that is what you want, back it up first and "
            "run restore again with --force. Nothing was changed."
        )


def _restore_files(source: Path, manifest: Manifest, result: RestoreResult) -> None:
    try:
        for name, root in result.targets.items():
            file_set = manifest["file_sets"][name]
            removed = restore_tree(source / Path(file_set["directory"]).name, root, file_set)
            result.removed_files.extend(f"{name}/{path}" for path in removed)
    except (BackupError, OSError) as error:
        raise HalfRestoredError(
            "HALF RESTORED: the database was restored, but copying the files failed: "
            f"{error}. Fix the cause and run restore again with --force."
        ) from error


def backup_restore(*, source: Path, force: bool, say: Callable[[str], None]) -> RestoreResult:
    """Restores `source` into the configured database and directories, then verifies it."""
    manifest = read_manifest(source)
    result = RestoreResult(manifest=manifest)
    result.targets = _file_targets(manifest, result)
    _refuse_unless_ready(source, manifest, result, force)
    say(f"Restoring the backup of {manifest['created_at']} (Brücke {manifest['bruecke_version']}) …")
    try:
        _restore_database(source, manifest, result)
    except HalfRestoredError:
        raise
    except (BackupError, OSError, sqlite3.Error) as error:
        raise BackupError(f"The database restore failed; the database was not changed. {error}") from error
    say("Database restored.")
    _restore_files(source, manifest, result)
    say("Files restored. Checking …")
    _verify(manifest, result.targets, result)
    if not result.pending_migrations:
        # The audit log then shows that events between the backup and now are missing.
        # An older schema may lack columns of today's event; `migrate` comes first there.
        audit_record(
            actor=None, action=AuditAction.RESTORE, object_type=BACKUP_RECORD_TYPE, object_id=source.name[:64]
        )
        result.recorded = True
    return result
