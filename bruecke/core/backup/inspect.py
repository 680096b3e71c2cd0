"""Facts about a database that a backup records and a restore checks.

The functions take a DB-API cursor and the vendor, so the same code reads the
PostgreSQL snapshot being dumped, the SQLite copy in the backup directory and the
restored database. Only table names, counts, migration names and key ids come out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.migrations.loader import MigrationLoader

from bruecke.core import crypto
from bruecke.core.fields import encrypted_fields

TOKEN_START = f"{crypto.PREFIX}:"
# Every token version ("v1:", "v2:"; all prefixes have the same length), as a LIKE pattern.
TOKEN_LIKE = "v_:%"  # noqa: S105 (a LIKE pattern, not a secret)
assert all(len(prefix) == len(crypto.PREFIX) for prefix in crypto.PREFIXES)


def quote(name: str) -> str:
    """An SQL identifier, quoted the same way on PostgreSQL and SQLite."""
    return '"' + name.replace('"', '""') + '"'


def table_names(cursor: Any, vendor: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(row[0] for row in cursor.fetchall())


def row_counts(cursor: Any, tables: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in tables:
        # The names come from the database's own catalogue and are quoted.
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        counts[table] = int(cursor.fetchone()[0])
    return counts


def applied_migrations(cursor: Any) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


@dataclass(frozen=True)
class EncryptedColumn:
    label: str  # e.g. "cases.Contact.note", for messages
    table: str
    column: str
    context: str  # the associated data the field encrypts with


def _existing_columns(cursor: Any, vendor: str, tables: list[str]) -> set[tuple[str, str]]:
    if vendor == "sqlite":
        found: set[tuple[str, str]] = set()
        for table in tables:
            cursor.execute(f"PRAGMA table_info({quote(table)})")
            found.update((table, str(row[1])) for row in cursor.fetchall())
        return found
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"
    )
    return {(str(table), str(column)) for table, column in cursor.fetchall()}


def encrypted_columns(cursor: Any, vendor: str, tables: list[str]) -> list[EncryptedColumn]:
    """The encrypted columns of today's models that exist in the database (a database
    of an older schema, not yet migrated, lacks the newer ones)."""
    existing = _existing_columns(cursor, vendor, tables)
    return [
        EncryptedColumn(
            label=f"{model._meta.label}.{field.name}",
            table=model._meta.db_table,
            column=field.column,
            context=f"{model._meta.label_lower}.{field.name}",
        )
        for model in apps.get_models()
        for field in encrypted_fields(model)
        if (model._meta.db_table, field.column) in existing
    ]


def _key_id_expression(column: str, vendor: str) -> str:
    start = len(TOKEN_START) + 1
    if vendor == "sqlite":
        rest = f"substr({column}, {start})"
        return f"substr({rest}, 1, instr({rest}, ':') - 1)"
    return f"split_part({column}, ':', 2)"


def key_ids_in_use(cursor: Any, vendor: str, column: EncryptedColumn) -> list[str]:
    """The ids of the keys that encrypted the values stored in one column (one scan)."""
    name = quote(column.column)
    # Identifiers come from model metadata and are quoted; the prefix is a constant.
    cursor.execute(
        f"SELECT DISTINCT {_key_id_expression(name, vendor)} FROM {quote(column.table)} "  # noqa: S608
        f"WHERE {name} LIKE '{TOKEN_LIKE}'"  # no parameters: also a plain sqlite3 cursor
    )
    return sorted(str(row[0]) for row in cursor.fetchall())


def all_key_ids_in_use(cursor: Any, vendor: str, tables: list[str]) -> list[str]:
    found: set[str] = set()
    for column in encrypted_columns(cursor, vendor, tables):
        found.update(key_ids_in_use(cursor, vendor, column))
    return sorted(found)


def decryption_problems(cursor: Any, vendor: str, tables: list[str]) -> tuple[int, list[str]]:
    """Decrypts one stored value per encrypted column and key id with the configured keys.

    Returns the number of values decrypted and the problems (column and key id only).
    `cursor` must use the "%s" parameter style (a Django cursor).
    """
    checked = 0
    problems: list[str] = []
    configured = crypto.keyring().keys
    for column in encrypted_columns(cursor, vendor, tables):
        for key_id in key_ids_in_use(cursor, vendor, column):
            key_part = f"{key_id}:"
            name = quote(column.column)
            start = len(TOKEN_START) + 1
            cursor.execute(
                f"SELECT {name} FROM {quote(column.table)} "  # noqa: S608 (quoted identifiers)
                f"WHERE {name} LIKE %s AND substr({name}, {start}, {len(key_part)}) = %s LIMIT 1",
                [TOKEN_LIKE, key_part],
            )
            token = cursor.fetchone()[0]
            if key_id not in configured:
                problems.append(f"{column.label}: key {key_id!r} is not in FIELD_ENCRYPTION_KEYS")
                continue
            try:
                crypto.decrypt(token, context=column.context)
            except crypto.DecryptionError:
                problems.append(
                    f"{column.label}: a value under key {key_id!r} does not decrypt with the configured "
                    f"key {key_id!r} (a different key with the same id, or a damaged value)"
                )
            else:
                checked += 1
    return checked, problems


@dataclass(frozen=True)
class MigrationComparison:
    unknown: list[str]  # in the backup, not in this code: the backup is newer
    pending: list[str]  # in this code, not in the backup: run migrate after restoring


def compare_migrations(backup: dict[str, list[str]]) -> MigrationComparison:
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    known = set(loader.disk_migrations)
    for replacement in loader.replacements.values():
        # A squashed migration's parts may be recorded in an older database.
        known.update(replacement.replaces)
    recorded = {(app, name) for app, names in backup.items() for name in names}
    unknown = sorted(f"{app}.{name}" for app, name in recorded - known)
    squashed_done = {
        key for key, migration in loader.replacements.items() if set(migration.replaces) <= recorded
    }
    pending = sorted(f"{app}.{name}" for app, name in set(loader.disk_migrations) - recorded - squashed_done)
    return MigrationComparison(unknown=unknown, pending=pending)
