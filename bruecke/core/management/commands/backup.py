"""`manage.py backup --to DIR`: database, uploaded files and job results, with a manifest."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bruecke.core.backup.create import backup_create
from bruecke.core.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Write a backup (database, MEDIA_ROOT, JOB_RESULTS_DIR, manifest) to a new directory "
        "DIR/bruecke-<UTC time>. FIELD_ENCRYPTION_KEYS are not included: keep them separately."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--to", required=True, type=Path, help="directory that receives the backup")

    def handle(self, *args: Any, to: Path, **options: Any) -> None:
        # Everything written from here on is for the owner only (pg_dump's file included).
        os.umask(0o077)
        try:
            result = backup_create(to=to)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except (OSError, sqlite3.Error) as error:
            # A file or directory that cannot be read or written (permissions, disk full).
            raise CommandError(f"{type(error).__name__}: {error}") from error
        manifest = result.manifest
        files = sum(file_set["count"] for file_set in manifest["file_sets"].values())
        self.stdout.write(
            f"Tables: {len(manifest['row_counts'])}, rows: {sum(manifest['row_counts'].values())}, "
            f"files: {files}, encryption key ids needed: {', '.join(manifest['encryption_key_ids']) or '-'}"
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))
