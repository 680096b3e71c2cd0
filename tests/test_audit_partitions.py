"""The audit log's storage: monthly partitions on PostgreSQL, the upkeep command, grants,
the append-only rule on every partition, and the log page's order and filters across
months (decision 0066). PostgreSQL-only tests are skipped on SQLite."""

# Table names in the SQL here are partition names made by the code under test.
# ruff: noqa: S608

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from bruecke.core import audit_partitions as parts
from bruecke.core.checks import check_audit_partitions, check_database_role
from bruecke.core.db_roles import runtime_grants
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.core.selectors import AuditFilter, audit_events_filtered
from bruecke.network.demo import DemoNetwork

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only"
)
ROLE = "bruecke_test_partition_runtime"


def _sql(statement: str, params: list[Any] | None = None) -> list[tuple[object, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return list(cursor.fetchall()) if cursor.description else []


def _today() -> datetime.date:
    return datetime.datetime.now(datetime.UTC).date()


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def _event(demo: DemoNetwork, when: datetime.datetime, **fields: object) -> AuditEvent:
    values: dict[str, object] = {
        "actor": demo.users["cm_a"],
        "action": AuditAction.UPDATE,
        "object_type": "network.organisation",
        "object_id": str(demo.partners["A"].pk),
        "organisation": demo.partners["A"],
        "changed_fields": ["town"],
    }
    values.update(fields)
    event = AuditEvent.objects.create(created_at=when, **values)
    if connection.vendor == "postgresql":
        # The foreign keys are checked at commit; DDL on a table with checks still pending in
        # the test's transaction is refused, which a real run (rows committed long ago) never meets.
        _sql("SET CONSTRAINTS ALL IMMEDIATE")
    return event


def _partition_of(event: AuditEvent) -> str:
    return str(_sql("SELECT tableoid::regclass::text FROM core_auditevent WHERE id = %s", [event.pk])[0][0])


def _attached() -> list[str]:
    with connection.cursor() as cursor:
        return parts.attached_names(cursor)


@needs_postgres
def test_migrate_leaves_a_partitioned_table_with_this_and_the_coming_months(db: None) -> None:
    assert parts.is_partitioned(connection)
    this_month = parts.month_start(_today())
    names = _attached()
    for ahead in range(3):
        assert parts.partition_name(parts.add_months(this_month, ahead)) in names
    assert parts.DEFAULT_PARTITION in names
    # The primary key includes the partition key and leads with it (newest-first order).
    (key,) = _sql(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conname = 'core_auditevent_pkey'"
    )[0]
    assert key == "PRIMARY KEY (created_at, id)"


@needs_postgres
def test_an_event_in_a_month_without_partition_goes_to_default(demo: DemoNetwork) -> None:
    now = _event(demo, timezone.now())
    far = _event(demo, _at(parts.add_months(parts.month_start(_today()), 120)))
    assert _partition_of(now) == parts.partition_name(parts.month_start(_today()))
    assert _partition_of(far) == parts.DEFAULT_PARTITION


@needs_postgres
def test_creating_a_month_moves_its_events_out_of_default(demo: DemoNetwork) -> None:
    month = parts.add_months(parts.month_start(_today()), 60)
    stranded = _event(demo, _at(month + datetime.timedelta(days=3)))
    later = _event(demo, _at(parts.add_months(month, 1)))
    with connection.cursor() as cursor:
        assert parts.create_month(cursor, month)
        assert not parts.create_month(cursor, month)  # repeated: nothing to do
    assert _partition_of(stranded) == parts.partition_name(month)
    assert _partition_of(later) == parts.DEFAULT_PARTITION
    assert AuditEvent.objects.filter(pk__in=[stranded.pk, later.pk]).count() == 2
    with pytest.raises(DatabaseError), transaction.atomic():  # the trigger is back on
        _sql(f"DELETE FROM {parts.DEFAULT_PARTITION}")


@needs_postgres
@override_settings(BRUECKE_AUDIT_RETENTION_MONTHS=36)
def test_the_command_creates_coming_months_and_drops_expired_ones_only(demo: DemoNetwork) -> None:
    this_month = parts.month_start(_today())
    expired, kept = parts.add_months(this_month, -40), parts.add_months(this_month, -36)
    with connection.cursor() as cursor:
        parts.ensure_months(cursor, expired, expired)
        parts.ensure_months(cursor, kept, kept)
    _event(demo, _at(expired))
    kept_event = _event(demo, _at(kept))
    call_command("audit_partitions", ahead=5)
    names = _attached()
    assert parts.partition_name(parts.add_months(this_month, 5)) in names
    assert parts.partition_name(expired) not in names
    assert not _sql("SELECT 1 FROM pg_class WHERE relname = %s", [parts.partition_name(expired)])
    assert parts.partition_name(kept) in names and parts.DEFAULT_PARTITION in names
    assert AuditEvent.objects.filter(pk=kept_event.pk).exists()
    assert AuditEvent.objects.filter(created_at__lt=_at(kept, 0)).count() == 0


@needs_postgres
@override_settings(BRUECKE_AUDIT_RETENTION_MONTHS=12)
def test_a_detached_month_is_kept_as_an_append_only_table(demo: DemoNetwork) -> None:
    old = parts.add_months(parts.month_start(_today()), -13)
    with connection.cursor() as cursor:
        parts.ensure_months(cursor, old, old)
    _event(demo, _at(old))
    call_command("audit_partitions", keep_detached=True)
    name = parts.partition_name(old)
    assert name not in _attached()
    assert _sql(f"SELECT count(*) FROM {name}") == [(1,)]
    for statement in (f"UPDATE {name} SET action = 'x'", f"DELETE FROM {name}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            _sql(statement)


@needs_postgres
@override_settings(BRUECKE_AUDIT_RETENTION_MONTHS=0)
def test_retention_zero_keeps_every_month(demo: DemoNetwork) -> None:
    old = parts.add_months(parts.month_start(_today()), -200)
    with connection.cursor() as cursor:
        parts.ensure_months(cursor, old, old)
    call_command("audit_partitions")
    assert parts.partition_name(old) in _attached()


@needs_postgres
def test_update_and_delete_are_refused_on_the_table_and_every_partition(demo: DemoNetwork) -> None:
    _event(demo, timezone.now())
    _event(demo, _at(parts.add_months(parts.month_start(_today()), 120)))  # DEFAULT
    for table in ["core_auditevent", *_attached()]:
        for statement in (f"UPDATE {table} SET action = 'x'", f"DELETE FROM {table}"):
            if not _sql(f"SELECT count(*) FROM {table}")[0][0]:
                continue
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                _sql(statement)


@pytest.fixture
def runtime_role(db: None) -> Iterator[str]:
    owner = _sql("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'core_auditevent'::regclass")[0][
        0
    ]
    _sql(f"CREATE ROLE {ROLE} NOLOGIN")
    for statement in runtime_grants(role=ROLE, owner=str(owner)):
        _sql(statement)
    yield ROLE


def _may(table: str, privilege: str) -> bool:
    return bool(_sql("SELECT has_table_privilege(%s, %s, %s)", [ROLE, table, privilege])[0][0])


@needs_postgres
def test_the_runtime_role_may_not_change_any_partition_old_or_new(runtime_role: str) -> None:
    for table in _attached():
        assert _may(table, "SELECT") and _may(table, "INSERT")
        assert not (_may(table, "UPDATE") or _may(table, "DELETE") or _may(table, "TRUNCATE"))
    call_command("audit_partitions", ahead=8)  # as the owner, after the grants
    new = parts.partition_name(parts.add_months(parts.month_start(_today()), 8))
    assert _may(new, "SELECT") and _may(new, "INSERT")
    assert not (_may(new, "UPDATE") or _may(new, "DELETE") or _may(new, "TRUNCATE"))
    _sql(f"SET ROLE {ROLE}")
    try:
        assert [m.id for m in check_database_role()] == []
        with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
            _sql(f"TRUNCATE {new}")
    finally:
        _sql("RESET ROLE")


@needs_postgres
def test_a_role_that_may_change_one_partition_is_reported(runtime_role: str) -> None:
    _sql(f"GRANT DELETE ON {parts.DEFAULT_PARTITION} TO {ROLE}")
    _sql(f"SET ROLE {ROLE}")
    try:
        assert [m.id for m in check_database_role()] == ["bruecke.W002"]
    finally:
        _sql("RESET ROLE")


@needs_postgres
def test_a_missing_month_is_reported_by_the_check_and_the_daily_run(db: None) -> None:
    assert check_audit_partitions() == []
    assert parts.upkeep_check(connection) == {"missing": 0}
    next_month = parts.partition_name(parts.add_months(parts.month_start(_today()), 1))
    _sql(f"ALTER TABLE core_auditevent DETACH PARTITION {next_month}")
    assert [m.id for m in check_audit_partitions()] == ["bruecke.W003"]
    with pytest.raises(parts.PartitionsMissing, match=next_month):
        parts.upkeep_check(connection)


def test_sqlite_keeps_a_plain_table(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL is partitioned (tests above)")
    assert not parts.is_partitioned(connection)
    assert check_audit_partitions() == []
    with pytest.raises(CommandError, match="not partitioned"):
        call_command("audit_partitions")


def test_an_empty_list_of_changed_fields_is_stored_as_null_and_read_as_a_list(demo: DemoNetwork) -> None:
    event = _event(demo, timezone.now(), action=AuditAction.READ, changed_fields=[])
    changed = _event(demo, timezone.now(), changed_fields=["town"])
    assert _sql("SELECT changed_fields IS NULL FROM core_auditevent WHERE id = %s", [event.pk]) == [(True,)]
    assert AuditEvent.objects.get(pk=event.pk).changed_fields == []
    assert AuditEvent.objects.get(pk=changed.pk).changed_fields == ["town"]


def test_the_log_orders_and_filters_across_months_as_before(demo: DemoNetwork) -> None:
    """Events in several months (and, on PostgreSQL, in DEFAULT): newest first, ties by id,
    and every filter finds exactly its events."""
    dpo, anna, admin = demo.users["dpo"], demo.users["cm_a"], demo.users["admin"]
    this_month = parts.month_start(_today())
    last_year = _at(parts.add_months(this_month, -12) + datetime.timedelta(days=9))
    future = _at(parts.add_months(this_month, 120))
    boundary = _at(this_month, 0)  # the first instant of this month's partition
    events = [
        _event(demo, last_year, actor=admin, action=AuditAction.LOGIN_FAILED, object_type="accounts.user"),
        _event(demo, boundary),
        _event(demo, boundary, action=AuditAction.READ, changed_fields=[]),
        _event(demo, future, object_type="cases.contact", object_id="777"),
    ]
    visible = list(audit_events_filtered(dpo, AuditFilter()).filter(pk__in=[e.pk for e in events]))
    assert visible == [events[3], events[2], events[1], events[0]]

    def found(**criteria: object) -> set[int]:
        rows = audit_events_filtered(dpo, AuditFilter(**criteria))  # type: ignore[arg-type]
        return set(rows.filter(pk__in=[e.pk for e in events]).values_list("pk", flat=True))

    assert found(actor_id=admin.pk) == {events[0].pk}
    assert found(actor_id=anna.pk) == {events[1].pk, events[2].pk, events[3].pk}
    assert found(action=AuditAction.LOGIN_FAILED) == {events[0].pk}
    assert found(action=AuditAction.READ) == {events[2].pk}
    assert found(object_type="cases.contact") == {events[3].pk}
    assert found(object_id="777") == {events[3].pk}
    assert found(date_from=last_year.date(), date_until=last_year.date()) == {events[0].pk}
    assert found(date_from=this_month) == {events[1].pk, events[2].pk, events[3].pk}
