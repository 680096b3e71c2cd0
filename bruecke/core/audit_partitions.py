"""Monthly partitions of the audit log on PostgreSQL (decision 0066).

`core_auditevent` is partitioned by RANGE (created_at), one partition per calendar month
(UTC bounds) named `core_auditevent_yYYYYmMM`, plus a DEFAULT partition so that an insert
never fails when a month was not created in time. The owner role creates months ahead and
detaches or drops months past the retention period (`manage.py audit_partitions`); the
runtime role cannot do either (decision 0021). SQLite keeps one plain table.
"""

# SQL names here are this module's constants or names read from the catalogue, never input.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

TABLE = "core_auditevent"
DEFAULT_PARTITION = f"{TABLE}_default"
TRIGGER_SQL = (
    "CREATE TRIGGER core_auditevent_no_change BEFORE UPDATE OR DELETE ON {table} "
    "FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only()"
)
MONTH_NAME = re.compile(rf"^{TABLE}_y(\d{{4}})m(\d{{2}})$")


@dataclass(frozen=True)
class MonthPartition:
    name: str
    month: datetime.date  # first day of the month

    @property
    def end(self) -> datetime.date:
        return add_months(self.month, 1)


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def partition_name(month: datetime.date) -> str:
    return f"{TABLE}_y{month.year:04d}m{month.month:02d}"


def _utc(day: datetime.date) -> str:
    return f"{day.isoformat()} 00:00:00+00"


def is_partitioned(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [TABLE])
        row = cursor.fetchone()
    return bool(row and row[0] == "p")


def attached_names(cursor: CursorWrapper) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = to_regclass(%s) ORDER BY c.relname",
        [TABLE],
    )
    return [row[0] for row in cursor.fetchall()]


def month_partitions(cursor: CursorWrapper) -> list[MonthPartition]:
    """The attached month partitions, oldest first (the DEFAULT partition is not one)."""
    found = []
    for name in attached_names(cursor):
        match = MONTH_NAME.match(name)
        if match:
            found.append(MonthPartition(name, datetime.date(int(match[1]), int(match[2]), 1)))
    return sorted(found, key=lambda p: p.month)


def copy_grants(cursor: CursorWrapper, partition: str) -> None:
    """Gives a partition exactly the parent's grants. A new table gets the owner's default
    privileges (UPDATE and DELETE for the runtime role); the parent's grants are the ones
    `db_runtime_grants` set, so a partition must not hold more than those."""
    acl = """
        SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
               a.privilege_type
        FROM pg_class c, aclexplode(c.relacl) a
        WHERE c.oid = to_regclass(%s) AND a.grantee <> c.relowner
    """
    cursor.execute(acl, [partition])
    for grantee in sorted({row[0] for row in cursor.fetchall()}):
        cursor.execute(f"REVOKE ALL ON {partition} FROM {grantee}")
    cursor.execute(acl, [TABLE])
    for grantee, privilege in cursor.fetchall():
        cursor.execute(f"GRANT {privilege} ON {partition} TO {grantee}")


def create_month(cursor: CursorWrapper, month: datetime.date) -> bool:
    """Creates the month's partition; False when it exists. Rows of that month that already
    landed in DEFAULT are moved into it (the append-only trigger is switched off for that
    move only, inside the caller's transaction)."""
    name = partition_name(month)
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
    if cursor.fetchone()[0]:
        return False
    start, end = _utc(month), _utc(add_months(month, 1))
    cursor.execute(
        f"SELECT count(*) FROM {DEFAULT_PARTITION} WHERE created_at >= %s AND created_at < %s", [start, end]
    )
    stranded = cursor.fetchone()[0]
    if not stranded:
        cursor.execute(f"CREATE TABLE {name} PARTITION OF {TABLE} FOR VALUES FROM ('{start}') TO ('{end}')")
    else:
        cursor.execute(f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS)")
        cursor.execute(
            f"INSERT INTO {name} SELECT * FROM {DEFAULT_PARTITION} "
            "WHERE created_at >= %s AND created_at < %s",
            [start, end],
        )
        cursor.execute(f"ALTER TABLE {DEFAULT_PARTITION} DISABLE TRIGGER core_auditevent_no_change")
        cursor.execute(
            f"DELETE FROM {DEFAULT_PARTITION} WHERE created_at >= %s AND created_at < %s", [start, end]
        )
        cursor.execute(f"ALTER TABLE {DEFAULT_PARTITION} ENABLE TRIGGER core_auditevent_no_change")
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM ('{start}') TO ('{end}')"
        )
    copy_grants(cursor, name)
    return True


def ensure_months(cursor: CursorWrapper, first: datetime.date, last: datetime.date) -> list[str]:
    """Creates every missing month partition from `first`'s month to `last`'s month."""
    created, month = [], month_start(first)
    while month <= month_start(last):
        if create_month(cursor, month):
            created.append(partition_name(month))
        month = add_months(month, 1)
    return created


def expired(cursor: CursorWrapper, today: datetime.date, retention_months: int) -> list[MonthPartition]:
    """Month partitions that end before the retention period began (none if it is 0)."""
    if retention_months <= 0:
        return []
    limit = add_months(month_start(today), -retention_months)
    return [p for p in month_partitions(cursor) if p.end <= limit]


def detach(cursor: CursorWrapper, partition: MonthPartition, *, drop: bool) -> None:
    """Takes an old month out of the audit log; dropped, or kept as a table of its own that
    stays append-only (detaching removes the trigger cloned from the parent)."""
    cursor.execute(f"ALTER TABLE {TABLE} DETACH PARTITION {partition.name}")
    if drop:
        cursor.execute(f"DROP TABLE {partition.name}")
    else:
        cursor.execute(
            "SELECT 1 FROM pg_trigger "
            "WHERE tgrelid = to_regclass(%s) AND tgname = 'core_auditevent_no_change'",
            [partition.name],
        )
        if cursor.fetchone() is None:
            cursor.execute(TRIGGER_SQL.format(table=partition.name))


def missing_months(connection: BaseDatabaseWrapper, today: datetime.date) -> list[str]:
    """This and next month's partitions if they are missing (their rows would land in DEFAULT)."""
    if not is_partitioned(connection):
        return []
    with connection.cursor() as cursor:
        names = set(attached_names(cursor))
    months = [month_start(today), add_months(month_start(today), 1)]
    return [partition_name(m) for m in months if partition_name(m) not in names]


class PartitionsMissing(Exception):
    """This or next month has no partition: run `manage.py audit_partitions` as the owner."""


def upkeep_check(connection: BaseDatabaseWrapper) -> dict[str, int]:
    """For the daily run: fails (so the run reports it) when this or next month's partition
    is missing. Uses the clock, not the run's day: partitions are about today's inserts."""
    missing = missing_months(connection, datetime.datetime.now(datetime.UTC).date())
    if missing:
        raise PartitionsMissing(", ".join(missing))
    return {"missing": 0}
