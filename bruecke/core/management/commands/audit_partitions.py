"""`manage.py audit_partitions`: the audit log's monthly partitions on PostgreSQL (decision 0066).

Run as the owner role (the one that runs `migrate`): the runtime role may not create or
drop tables. Creates the partitions of this month and the next `--ahead` months, and takes
out the months that ended before the retention period (BRUECKE_AUDIT_RETENTION_MONTHS):
dropped, or with `--keep-detached` kept as append-only tables of their own to archive.
Safe to repeat: it does nothing that is done already.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from bruecke.core import audit_partitions as parts


class Command(BaseCommand):
    help = (
        "Creates the audit log's partitions for the coming months and detaches or drops the "
        "months older than the retention period (PostgreSQL; run as the owner role)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ahead", type=int, default=3, help="months to create after this one (default 3)"
        )
        parser.add_argument(
            "--keep-detached",
            action="store_true",
            help="detach expired months but keep them as tables (to archive) instead of dropping them",
        )
        parser.add_argument("--dry-run", action="store_true", help="only list what would change")
        parser.add_argument(
            "--date", type=datetime.date.fromisoformat, help="act as on this day (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not parts.is_partitioned(connection):
            raise CommandError(
                "The audit log is not partitioned here (PostgreSQL after migration core 0013 only)."
            )
        today = options["date"] or datetime.datetime.now(datetime.UTC).date()
        last = parts.add_months(parts.month_start(today), max(options["ahead"], 1))
        retention = settings.BRUECKE_AUDIT_RETENTION_MONTHS
        with transaction.atomic(), connection.cursor() as cursor:
            expired = parts.expired(cursor, today, retention)
            if options["dry_run"]:
                existing = {p.month for p in parts.month_partitions(cursor)}
                month = parts.month_start(today)
                while month <= last:
                    if month not in existing:
                        self.stdout.write(f"would create {parts.partition_name(month)}")
                    month = parts.add_months(month, 1)
                for partition in expired:
                    self.stdout.write(
                        f"would {'detach' if options['keep_detached'] else 'drop'} {partition.name}"
                    )
                return
            for name in parts.ensure_months(cursor, today, last):
                self.stdout.write(f"created {name}")
            for partition in expired:
                parts.detach(cursor, partition, drop=not options["keep_detached"])
                self.stdout.write(f"{'detached' if options['keep_detached'] else 'dropped'} {partition.name}")
        kept = f"the last {retention} months" if retention else "every month (retention 0)"
        self.stdout.write(self.style.SUCCESS(f"Audit partitions up to {last:%Y-%m}; keeping {kept}."))
