"""The EXPORT audit events of a list export: they name every record the file holds.

A person's own access report (Art. 15) and the DPO's record filter find an export the way
they find a list page: through `object_ids` (`core.audit_queries.names_records`,
decision 0067). A row names its own record and the records of the person it writes (a
contact's case and participant); each record once per export, in the order written. One
event names at most `RECORDS_PER_EVENT` records, so a list of a million rows becomes a few
hundred events of bounded size, written together in one transaction once the file is
complete (decision 0073).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models, transaction

from bruecke.core.audit import audit_event
from bruecke.core.audit_queries import JsonId, json_id
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.jobs.models import Job
from bruecke.spreadsheets.exporting.registry import ListExport

# Records named by one event: about 60 kB of JSON at most (a participant's number is at
# most 7 digits and a comma); the GIN index takes one entry per record either way.
RECORDS_PER_EVENT = 5000
# Events per INSERT statement.
EVENTS_PER_INSERT = 50


def _id_at(row: Any, path: str) -> Any:
    for hop in path.split("."):
        row = getattr(row, hop, None)
        if row is None:
            return None
    return row


class WrittenRecords:
    """The records an export wrote, grouped into the events that will name them.

    Integer ids are kept in arrays (8 bytes each, not a Python object per id); the records
    of a person met again (a participant with many contacts) are remembered in a set per
    kind. A contact list of a million rows: 24 MB (docs/benchmarks.md)."""

    def __init__(self, export: ListExport, limit: int | None = None) -> None:
        self.own_type = export.record_type._meta.label_lower
        self.related = [(model._meta.label_lower, path) for model, path in export.names]
        self.limit = limit or RECORDS_PER_EVENT
        self.seen: dict[str, set[JsonId]] = {object_type: set() for object_type, _path in self.related}
        self.groups: list[dict[str, array[int] | list[JsonId]]] = []
        self.in_group = 0
        self.count = 0

    def _add(self, object_type: str, pk: Any) -> None:
        if self.in_group >= self.limit or not self.groups:
            self.groups.append({})
            self.in_group = 0
        ids = self.groups[-1].setdefault(object_type, array("q"))
        value = json_id(pk)
        if isinstance(value, int) and isinstance(ids, array):
            ids.append(value)
        else:  # a text key: the group's list of this type becomes a plain list
            self.groups[-1][object_type] = [*ids, value]
        self.in_group += 1
        self.count += 1

    def add_row(self, row: models.Model) -> None:
        self._add(self.own_type, row.pk)
        for object_type, path in self.related:
            pk = _id_at(row, path)
            if pk is None:
                continue
            key = json_id(pk)
            seen = self.seen[object_type]
            if key not in seen:
                seen.add(key)
                self._add(object_type, pk)

    def counting(self, rows: Iterable[Any]) -> Iterator[Any]:
        """The rows, unchanged; each one is noted as it is handed on to the file."""
        for row in rows:
            self.add_row(row)
            yield row

    def object_ids(self) -> Iterator[dict[str, list[JsonId]]]:
        for group in self.groups:
            yield {object_type: list(ids) for object_type, ids in group.items()}


def audit_export(job: Job, export: ListExport, columns: list[str], written: WrittenRecords) -> int:
    """Writes the export's EXPORT events (at least one, also for an empty list) in one
    transaction; returns how many. Each names the list's record type, the job and the note
    columns included, and its share of the records."""
    notes = {c.key for c in export.notes}
    changed = [key for key in columns if key in notes]

    def event(object_ids: dict[str, list[JsonId]] | None) -> AuditEvent:
        return audit_event(
            actor=job.created_by,
            action=AuditAction.EXPORT,
            object_type=export.record_type._meta.label_lower,
            object_id=str(job.pk),
            organisation=job.organisation,
            changed_fields=changed,
            object_ids=object_ids,
        )

    written_events = 0
    with transaction.atomic():
        batch: list[AuditEvent] = []
        # The ids become JSON lists one batch at a time, not all at once.
        for object_ids in written.object_ids():
            batch.append(event(object_ids))
            if len(batch) == EVENTS_PER_INSERT:
                written_events += len(AuditEvent.objects.bulk_create(batch))
                batch = []
        if batch or not written_events:
            written_events += len(AuditEvent.objects.bulk_create(batch or [event(None)]))
    return written_events
