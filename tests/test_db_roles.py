"""The application's database role cannot switch off the audit log (PostgreSQL).

The test connects as a superuser, creates a runtime role inside the test's transaction
(rolled back afterwards), gives it exactly the documented grants and runs as it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from bruecke.core.audit import audit_record
from bruecke.core.checks import check_database_role
from bruecke.core.db_roles import AUDIT_TABLE, runtime_grants
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.participants.models import Participant

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no roles, owners or grants; run with DATABASE_URL=postgres://… to test this",
)

ROLE = "bruecke_test_runtime"


def _ids() -> list[str]:
    return [message.id or "" for message in check_database_role()]


def _sql(statement: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement)


@pytest.fixture
def runtime_role(db: None) -> Iterator[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = to_regclass(%s)", [AUDIT_TABLE]
        )
        owner = cursor.fetchone()[0]
    _sql(f"CREATE ROLE {ROLE} NOLOGIN")
    for statement in runtime_grants(role=ROLE, owner=owner):
        _sql(statement)
    _sql(f"SET ROLE {ROLE}")
    yield ROLE
    _sql("RESET ROLE")


@needs_postgres
def test_running_as_the_owner_is_reported(db: None) -> None:
    assert _ids() == ["bruecke.W001"]  # the test database's owner, a superuser


@needs_postgres
def test_the_runtime_role_works_but_cannot_touch_the_audit_log(runtime_role: str) -> None:
    assert _ids() == []
    participant = Participant.objects.first()
    assert participant is not None
    Participant.objects.filter(pk=participant.pk).update(town="Rostock")  # rows: yes
    event = audit_record(actor=None, action=AuditAction.READ, obj=participant)
    assert AuditEvent.objects.filter(pk=event.pk).exists()
    for statement in (
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER core_auditevent_no_change",
        f"DROP TRIGGER core_auditevent_no_change ON {AUDIT_TABLE}",
        f"TRUNCATE {AUDIT_TABLE} CASCADE",
        "UPDATE core_auditevent SET action = 'x'",
        "DELETE FROM core_auditevent",
    ):
        with pytest.raises(DatabaseError, match=r"permission denied|must be owner"), transaction.atomic():
            _sql(statement)


@needs_postgres
def test_a_runtime_role_that_may_truncate_the_log_is_reported(runtime_role: str) -> None:
    _sql("RESET ROLE")
    _sql(f"GRANT TRUNCATE ON {AUDIT_TABLE} TO {ROLE}")
    _sql(f"SET ROLE {ROLE}")
    assert _ids() == ["bruecke.W002"]


def test_the_grants_command_prints_the_documented_sql(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("db_runtime_grants", role="bruecke_app", owner="bruecke")
    printed = capsys.readouterr().out
    assert "REVOKE UPDATE, DELETE, TRUNCATE ON public.core_auditevent FROM bruecke_app;" in printed
    assert "ALTER DEFAULT PRIVILEGES FOR ROLE bruecke IN SCHEMA public" in printed


def test_other_databases_have_nothing_to_report(db: None) -> None:
    if connection.vendor == "postgresql":
        pytest.skip("covered by the PostgreSQL tests above")
    assert check_database_role() == []
