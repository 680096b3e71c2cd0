"""Which records read events named, for tests (alone or in a page's list, decision 0067)."""

from __future__ import annotations

from typing import Any

from bruecke.core.audit_queries import names_record
from bruecke.core.models import AuditAction, AuditEvent


def read_ids(object_type: str, **filters: Any) -> set[str]:
    """Ids of `object_type` named by the read events matching `filters`."""
    ids: set[str] = set()
    for event in AuditEvent.objects.filter(action=AuditAction.READ, **filters):
        if event.object_type == object_type and event.object_id:
            ids.add(event.object_id)
        ids.update(str(pk) for pk in (event.object_ids or {}).get(object_type, []))
    return ids


def reads_of(object_type: str, pk: Any, **filters: Any) -> int:
    """How many read events named the record (each page read counts once)."""
    return (
        AuditEvent.objects.filter(action=AuditAction.READ, **filters)
        .filter(names_record(object_type, pk))
        .count()
    )
