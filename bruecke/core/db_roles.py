"""Database roles on PostgreSQL: the application must not own its tables (decision 0021).

The owner of `core_auditevent` (and any superuser) can disable or drop the append-only
trigger, so migrations run as an owner role and the application as a runtime role that
only reads and writes rows, and may only add to and read the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

AUDIT_TABLE = "core_auditevent"
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class RoleReport:
    role: str
    is_superuser: bool
    owns_tables: bool  # the role owns the audit table or is a member of its owner
    may_change_audit: list[str]  # UPDATE, DELETE, TRUNCATE granted on the audit table


def current_role(connection: BaseDatabaseWrapper) -> RoleReport:
    """What the connected role may do to the audit table (PostgreSQL only)."""
    with connection.cursor() as cursor:
        # The audit table and each of its partitions (PostgreSQL, decision 0066).
        cursor.execute(
            """
            SELECT current_user, r.rolsuper, bool_or(pg_has_role(current_user, c.relowner, 'MEMBER')),
                   bool_or(has_table_privilege(c.oid, 'UPDATE')),
                   bool_or(has_table_privilege(c.oid, 'DELETE')),
                   bool_or(has_table_privilege(c.oid, 'TRUNCATE'))
            FROM pg_class c JOIN pg_roles r ON r.rolname = current_user
            WHERE c.oid = to_regclass(%s)
               OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = to_regclass(%s))
            GROUP BY current_user, r.rolsuper
            """,
            [AUDIT_TABLE, AUDIT_TABLE],
        )
        row = cursor.fetchone()
    if row is None:  # not migrated yet: nothing to judge
        return RoleReport(role="", is_superuser=False, owns_tables=False, may_change_audit=[])
    role, superuser, owner, update, delete, truncate = row
    granted = [name for name, has in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate)) if has]
    return RoleReport(role=role, is_superuser=superuser, owns_tables=owner, may_change_audit=granted)


def runtime_grants(*, role: str, owner: str, schema: str = "public") -> list[str]:
    """SQL (run as the owner role after `migrate`) that lets `role` run the application
    without owning anything: rows only, and only INSERT and SELECT on the audit log. The
    default privileges cover tables that later migrations create."""
    for name in (role, owner, schema):
        if not ROLE_NAME.match(name):
            raise ValueError(f"not a plain PostgreSQL name: {name!r}")
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON {schema}.{AUDIT_TABLE} FROM {role}",
        # On PostgreSQL the audit log is partitioned by month (decision 0066): a partition is
        # a table of its own that the default privileges below would open to UPDATE and
        # DELETE. Existing partitions are closed here; `audit_partitions` gives each new one
        # exactly the parent's grants.
        "DO $$ DECLARE part regclass; BEGIN FOR part IN SELECT inhrelid::regclass FROM pg_inherits "  # noqa: S608
        f"WHERE inhparent = to_regclass('{schema}.{AUDIT_TABLE}') LOOP "
        f"EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %s FROM {role}', part); END LOOP; END $$",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} "
        f"GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ]
