"""`manage.py restore --from DIR`: the backup into the configured database, then verified."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.core.backup.errors import BackupError
from bruecke.core.backup.restore import RestoreResult, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the configured database, MEDIA_ROOT "
        "and JOB_RESULTS_DIR, then verify row counts, file checksums and decryption."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", required=True, type=Path, help="the backup directory")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace a database and directories that are not empty",
        )

    def handle(self, *args: Any, source: Path, force: bool, **options: Any) -> None:
        os.umask(0o077)
        try:
            result = backup_restore(source=source, force=force, say=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except (OSError, sqlite3.Error) as error:
            # A file or directory that cannot be read or written (permissions, disk full).
            raise CommandError(f"{type(error).__name__}: {error}") from error
        self._report(result)

    def _report(self, result: RestoreResult) -> None:
        for table in result.dropped_tables:
            self.stdout.write(f"Dropped table {table} (not in the backup).")
        if result.removed_files:
            self.stdout.write(f"Removed {len(result.removed_files)} file(s) that the backup does not have.")
        for name in result.skipped_file_sets:
            self.stdout.write(f"Not restored: {name} (this installation has no directory for it).")
        self.stdout.write(
            f"Verified: {result.tables} tables, {result.rows} rows, {result.files} files, "
            f"{result.decrypted} encrypted values decrypted."
        )
        if result.pending_migrations:
            self.stdout.write(
                f"The backup is older than this version ({len(result.pending_migrations)} migrations "
                "to apply): run `manage.py migrate` next. The restore is not in the audit log."
            )
        self.stdout.write(
            "Next: give the runtime role its grants again (PostgreSQL: `manage.py db_runtime_grants`)."
            if result.manifest["database"]["vendor"] == "postgresql"
            else "Next: start the application."
        )
        self.stdout.write(self.style.SUCCESS("Restore complete and verified."))
