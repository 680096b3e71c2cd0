"""Writing audit events. Services call these inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db import models

from bruecke.core.middleware import current_request_context
from bruecke.core.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from bruecke.accounts.models import User
    from bruecke.network.models import Organisation


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def organisation_of(obj: models.Model) -> Organisation | None:
    """The organisation a record belongs to, if it has one (for scoping the log)."""
    from bruecke.network.models import Organisation

    if isinstance(obj, Organisation):
        return obj
    organisation = getattr(obj, "audit_organisation", None)
    if organisation is None and hasattr(obj, "organisation_id"):
        organisation = obj.organisation  # type: ignore[attr-defined]
    return organisation if isinstance(organisation, Organisation) else None


def _organisation_id_of(obj: models.Model) -> int | None:
    """As `organisation_of`, without a query per record for scoped records (lists)."""
    organisation_id = getattr(obj, "organisation_id", None)
    if isinstance(organisation_id, int) and not hasattr(obj, "audit_organisation"):
        return organisation_id
    organisation = organisation_of(obj)
    return organisation.pk if organisation is not None else None


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation: Organisation | None = None,
    changed_fields: Iterable[str] = (),
) -> AuditEvent:
    """Appends one event. Pass field names only, never the values."""
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(obj.pk)
        organisation = organisation or organisation_of(obj)
    context = current_request_context()
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        organisation=organisation,
        changed_fields=sorted(set(changed_fields)),
        request_id=context.request_id if context else "",
        remote_addr=context.remote_addr if context else None,
    )
    event.save()
    return event


def audit_read(*, actor: User, obj: models.Model) -> AuditEvent:
    """Records that `actor` was shown the record `obj` (pages with personal data)."""
    return audit_record(actor=actor, action=AuditAction.READ, obj=obj)


def audit_read_all(*, actor: User, objs: Iterable[models.Model]) -> int:
    """Records that `actor` was shown every record of a list (search results, worklists):
    one event per record, so a person's own log shows each page that listed them. One
    INSERT for the whole (paginated) list."""
    context = current_request_context()
    events = [
        AuditEvent(
            actor=actor,
            action=AuditAction.READ,
            object_type=object_type_of(obj),
            object_id=str(obj.pk),
            organisation_id=_organisation_id_of(obj),
            request_id=context.request_id if context else "",
            remote_addr=context.remote_addr if context else None,
        )
        for obj in {(type(o), o.pk): o for o in objs}.values()
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
