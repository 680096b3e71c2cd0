"""Writing audit events. Services call these inside their own transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.http import HttpRequest, HttpResponse

from bruecke.core.audit_queries import JsonId, json_id
from bruecke.core.middleware import RequestContext, current_request_context
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
    event = audit_event(
        actor=actor,
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        organisation=organisation,
        changed_fields=changed_fields,
    )
    event.save()
    return event


def audit_event(
    *,
    actor: User | AnonymousUser | None,
    action: AuditAction,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    organisation: Organisation | None = None,
    changed_fields: Iterable[str] = (),
    object_ids: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    """The event `audit_record` appends, not yet saved (for writing many at once);
    `object_ids` names further records the event concerns (decision 0067)."""
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
        object_ids=object_ids,
        request_id=context.request_id if context else "",
        remote_addr=context.remote_addr if context else None,
    )
    return event


def audit_read(*, actor: User, obj: models.Model) -> None:
    """Records that `actor` was shown the record `obj` (pages with personal data). In a
    request the read joins the page's one event (`AuditReadMiddleware`); elsewhere (jobs,
    commands) it is written at once."""
    _read(actor, [obj], primary=True)


def audit_read_all(*, actor: User, objs: Iterable[models.Model]) -> int:
    """Records that `actor` was shown every record of a list (search results, worklists).
    The page's event names each record (`object_ids`), so a person's own log shows each
    page that listed them. Returns how many distinct records were named."""
    return _read(actor, objs, primary=False)


@dataclass(frozen=True)
class _Shown:
    """One record shown; equal records (whether read as the page's record or in a list) merge."""

    actor_id: int | None
    object_type: str
    object_id: JsonId
    organisation_id: int | None
    primary: bool = field(default=False, compare=False)


def _read(actor: User | AnonymousUser, objs: Iterable[models.Model], *, primary: bool) -> int:
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    shown = list(
        dict.fromkeys(
            _Shown(actor_id, object_type_of(o), json_id(o.pk), _organisation_id_of(o), primary) for o in objs
        )
    )
    context = current_request_context()
    if context is None:  # no page to wait for: one event now, as before
        AuditEvent.objects.bulk_create(_events(shown, context))
        return len(shown)
    reads = context.reads
    if primary:
        # The page's own record leads: it fills object_type/object_id of the event.
        leading = [r for r in reads if r.primary]
        leading += [s for s in shown if s not in leading]
        reads[:] = [*leading, *(r for r in reads if r not in leading)]
    else:
        reads.extend(s for s in shown if s not in reads)
    return len(shown)


def _events(shown: list[_Shown], context: RequestContext | None) -> list[AuditEvent]:
    """One READ event per (actor, organisation): a DPO sees the reads of their own
    organisation's records. A single record fills object_type/object_id only; several
    are all listed in `object_ids`, the first (the page's own record, if any) also in
    object_type/object_id so that per-record lookups stay on the b-tree index."""
    groups: dict[tuple[int | None, int | None], list[_Shown]] = {}
    for item in shown:
        groups.setdefault((item.actor_id, item.organisation_id), []).append(item)
    events = []
    for (actor_id, organisation_id), items in groups.items():
        first = items[0]
        object_ids: dict[str, list[JsonId]] | None = None
        if len(items) > 1:
            object_ids = {}
            for item in items:
                object_ids.setdefault(item.object_type, []).append(item.object_id)
        events.append(
            AuditEvent(
                actor_id=actor_id,
                action=AuditAction.READ,
                object_type=first.object_type,
                object_id=str(first.object_id) if object_ids is None or first.primary else "",
                object_ids=object_ids,
                organisation_id=organisation_id,
                request_id=context.request_id if context else "",
                remote_addr=context.remote_addr if context else None,
            )
        )
    return events


# Error answers that still show the page's records (a form with its errors, a version conflict).
SHOWN_WITH_ERRORS = frozenset({400, 409})


class AuditReadMiddleware:
    """Writes the page's reads as one event once the response is ready (one INSERT).

    For responses below 400, and for a form shown again with its errors (400) or with a
    changed-meanwhile conflict (409): those pages show the record too. A refused (403/404)
    or broken (5xx) request showed no record. Redirects are written: the view read the records (e.g. an
    export job queued), and the log errs on the side of naming a read. A streamed or file
    response is written before its body is sent, like any other. Must come after
    RequestIdMiddleware, which opens the request's context.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        context = current_request_context()
        if context is not None and context.reads:
            if response.status_code < 400 or response.status_code in SHOWN_WITH_ERRORS:
                AuditEvent.objects.bulk_create(_events(context.reads, context))
            context.reads.clear()
        return response
