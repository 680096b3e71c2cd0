"""Re-encrypts every special-category value that is not under the primary key."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bruecke.core import crypto
from bruecke.core.audit import audit_record
from bruecke.core.fields import encrypted_fields
from bruecke.core.models import AuditAction

BATCH = 500


def rotate_model(model: Any) -> int:
    """Rotates one model's encrypted columns; returns the number of rows rewritten."""
    fields = encrypted_fields(model)
    if not fields:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rewritten = 0
    last_pk: Any = None
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last_pk is not None else ""
                params = [last_pk] if last_pk is not None else []
                # Identifiers come from model metadata through quote_name; values are parameters.
                sql = f"SELECT {pk}, {columns} FROM {table} {where}ORDER BY {pk} LIMIT {BATCH}"  # noqa: S608
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            for row in rows:
                stale = [
                    f.name
                    for f, token in zip(fields, row[1:], strict=True)
                    if token and crypto.needs_rotation(token)
                ]
                if stale:
                    instance = model._default_manager.only(*stale).get(pk=row[0])
                    # Reading decrypts with the old key; saving encrypts with the primary one.
                    model._default_manager.filter(pk=row[0]).update(
                        **{name: getattr(instance, name) for name in stale}
                    )
                    rewritten += 1
        if len(rows) < BATCH:
            break
        last_pk = rows[-1][0]
    if rewritten:
        audit_record(
            actor=None,
            action=AuditAction.KEY_ROTATION,
            object_type=model._meta.label_lower,
            changed_fields=[f.name for f in fields],
        )
    return rewritten


class Command(BaseCommand):
    help = "Re-encrypts special-category fields with the first key of FIELD_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            count = rotate_model(model)
            if count:
                self.stdout.write(f"{model._meta.label}: {count} rows re-encrypted")
            total += count
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))
