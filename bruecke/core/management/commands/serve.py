"""The production server: checks, static files, then gunicorn (decision 0032)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

CONFIG = Path(settings.BASE_DIR) / "bruecke" / "gunicorn_conf.py"


class Command(BaseCommand):
    help = (
        "Refuses to start with unapplied migrations, collects the static files, runs "
        "check --deploy, then replaces itself with gunicorn (bruecke/gunicorn_conf.py)."
    )
    # `check --deploy` runs below, with the deployment checks; not twice.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check-only", action="store_true", help="run the checks and collectstatic, do not start"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._refuse_unapplied_migrations()
        call_command("collectstatic", interactive=False, verbosity=0)
        # Errors stop the start; warnings are printed (e.g. bruecke.W001 for a runtime role
        # that owns the tables), as `manage.py check --deploy` prints them.
        call_command("check", deploy=True)
        if options["check_only"]:
            return
        # The server must not inherit this process's database connection.
        connections.close_all()
        sys.stdout.flush()
        sys.stderr.flush()
        command = [sys.executable, "-m", "gunicorn", "--config", str(CONFIG)]
        # exec, not a child process: gunicorn keeps this PID, so systemd (Type=notify),
        # signals (HUP reloads, TERM stops gracefully) and exit codes reach it directly.
        os.chdir(settings.BASE_DIR)
        os.execv(sys.executable, command)  # noqa: S606 (fixed command, no shell)

    def _refuse_unapplied_migrations(self) -> None:
        try:
            call_command("migrate", check_unapplied=True, verbosity=0)
        except SystemExit as exit_:
            if exit_.code:
                raise CommandError(
                    "The database has unapplied migrations: run `manage.py migrate` "
                    "(as the owner role, see the operator guide) and start again."
                ) from None
