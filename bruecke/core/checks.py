"""System checks of the deployment (`manage.py check --deploy`)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core import checks
from django.db import connections

from bruecke.core.audit_partitions import missing_months
from bruecke.core.db_roles import current_role


@checks.register(checks.Tags.security, deploy=True)
def check_database_role(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The application's database role must not be able to switch off the audit log."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return []
    report = current_role(connection)
    messages: list[checks.CheckMessage] = []
    if report.is_superuser or report.owns_tables:
        messages.append(
            checks.Warning(
                f"The application connects as {report.role!r}, which "
                + ("is a superuser" if report.is_superuser else "owns the tables")
                + " and so can disable the audit log's append-only trigger.",
                hint="Run migrate as the owner role and the application as a runtime role "
                "without ownership (operator guide, 'Database roles'; manage.py db_runtime_grants).",
                id="bruecke.W001",
            )
        )
    elif report.may_change_audit:
        messages.append(
            checks.Warning(
                f"The role {report.role!r} holds {', '.join(report.may_change_audit)} on the audit log.",
                hint="The runtime role needs only INSERT and SELECT there (manage.py db_runtime_grants).",
                id="bruecke.W002",
            )
        )
    return messages


@checks.register(checks.Tags.database, deploy=True)
def check_audit_partitions(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """This and next month need their audit partitions, or new events land in DEFAULT."""
    missing = missing_months(connections["default"], datetime.datetime.now(datetime.UTC).date())
    if not missing:
        return []
    return [
        checks.Warning(
            f"The audit log has no partition for {', '.join(missing)}: "
            "new events go to the DEFAULT partition.",
            hint="Run manage.py audit_partitions as the owner role (operator guide, 'Audit log partitions').",
            id="bruecke.W003",
        )
    ]
