"""PostgreSQL: `pg_dump --format=custom` out, `pg_restore` in, run as subprocesses.

Connection parameters go to the programs through libpq's environment variables, never
on the command line, where `ps` would show the password to every user of the server.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bruecke.core.backup.errors import BackupError
from bruecke.core.db_roles import AUDIT_TABLE

# Connection options libpq also reads from the environment.
LIBPQ_ENVIRONMENT = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "gssencmode": "PGGSSENCMODE",
    "channel_binding": "PGCHANNELBINDING",
}
# Options only Django's backend understands; they do not change where we connect.
DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool"}


def libpq_environment(database: Mapping[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore that connects them like Django connects."""
    environment = dict(os.environ)
    for setting, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if database.get(setting):
            environment[variable] = str(database[setting])
    for option, value in (database.get("OPTIONS") or {}).items():
        if option in DJANGO_ONLY_OPTIONS:
            continue
        libpq_variable = LIBPQ_ENVIRONMENT.get(option)
        if libpq_variable is None:
            # Connecting the programs differently from the application would back up
            # (or overwrite) another database than the operator means.
            raise BackupError(
                f"The database option {option!r} cannot be passed to pg_dump/pg_restore; "
                "remove it from DATABASE_URL or use a libpq service file (option 'service')."
            )
        environment[libpq_variable] = str(value)
    return environment


def program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} was not found on PATH. Install the PostgreSQL client programs of the "
            "server's major version (Debian: postgresql-client)."
        )
    return path


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    # Fixed program and arguments; no shell. The password travels in the environment.
    result = subprocess.run(  # noqa: S603
        arguments, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        name = Path(arguments[0]).name
        detail = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{name} failed: {detail}")


def dump(database: Mapping[str, Any], target: Path, *, snapshot: str) -> None:
    """Dumps the database as it is in `snapshot` (the one the manifest's counts come from)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)  # pg_dump writes into the private file made here
    _run(
        [
            program("pg_dump"),
            "--format=custom",
            "--no-password",
            f"--snapshot={snapshot}",
            f"--file={target}",
        ],
        libpq_environment(database),
    )


def restore(database: Mapping[str, Any], source: Path) -> None:
    """Replaces the dumped objects in the configured database, all or nothing.

    pg_restore writes the script (--clean: drop, then create and load) and psql runs it in
    one transaction (--single-transaction, ON_ERROR_STOP): if anything fails, nothing of the
    restore stays behind. The partitioned audit log is dropped first, as a whole:
    pg_restore's own clean-up would drop a partition's primary key before its parent's,
    which PostgreSQL refuses ("cannot drop inherited constraint").
    --no-owner/--no-privileges: the target's roles may differ (the runtime role's grants
    are given again with `db_runtime_grants`).
    """
    environment = libpq_environment(database)
    script = [
        program("pg_restore"),
        "--clean",
        "--if-exists",
        "--no-owner",
        "--no-privileges",
        "--file=-",
        str(source),
    ]
    apply = [
        program("psql"),
        "--no-psqlrc",
        "--quiet",
        "--no-password",
        "--set=ON_ERROR_STOP=1",
        "--single-transaction",
        f"--dbname={database['NAME']}",
        f"--command=DROP TABLE IF EXISTS {AUDIT_TABLE} CASCADE",
        "--file=-",
    ]
    # Fixed programs and arguments; no shell. The password travels in the environment.
    # pg_restore's messages go to a file: a full stderr pipe would stall the script.
    with (
        tempfile.TemporaryFile() as messages,
        subprocess.Popen(script, env=environment, stdout=subprocess.PIPE, stderr=messages) as writer,  # noqa: S603
    ):
        result = subprocess.run(  # noqa: S603
            apply, env=environment, stdin=writer.stdout, capture_output=True, text=True, check=False
        )
        writer.wait()
        messages.seek(0)
        writer_error = messages.read().decode(errors="replace")
    if writer.returncode != 0:
        raise BackupError(f"pg_restore failed: {writer_error.strip() or f'exit status {writer.returncode}'}")
    if result.returncode != 0:
        raise BackupError(f"psql failed: {result.stderr.strip() or f'exit status {result.returncode}'}")
