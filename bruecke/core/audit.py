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
