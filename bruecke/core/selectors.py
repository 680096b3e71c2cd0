"""Reads of the audit log, limited to what the asking data-protection officer may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.audit_labels import INSTALLATION_RECORD_TYPES
from bruecke.core.audit_queries import names_record, record_types
from bruecke.core.models import AuditEvent
from bruecke.network.models import Membership


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    date_from: datetime.date | None = None
    date_until: datetime.date | None = None


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_staff(user: User | AnonymousUser) -> QuerySet[User]:
    """Staff whose actions the DPO may look at: members of the DPO's organisations."""
    organisations = access.audit_organisation_ids(user)
    return User.objects.filter(
        pk__in=Membership.objects.filter(organisation_id__in=organisations).values("user_id")
    ).order_by("last_name", "first_name")


def audit_events_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Events about the DPO's organisations' data, and everything their staff did."""
    organisations = access.audit_organisation_ids(user)
    if not organisations:
        return AuditEvent.objects.none()
    staff = Membership.objects.filter(organisation_id__in=organisations).values("user_id")
    # A backup or restore concerns every organisation's data: every DPO sees it.
    installation = Q(object_type__in=INSTALLATION_RECORD_TYPES, organisation__isnull=True)
    return AuditEvent.objects.filter(
        Q(organisation_id__in=organisations) | Q(actor_id__in=staff) | installation
    ).select_related("actor", "organisation")


def audit_events_filtered(user: User | AnonymousUser, f: AuditFilter) -> QuerySet[AuditEvent]:
    events = audit_events_visible_to(user)
    if f.actor_id:
        events = events.filter(actor_id=f.actor_id)
    if f.action:
        events = events.filter(action=f.action)
    if f.object_type and not f.object_id:
        events = events.filter(object_type=f.object_type)
    if f.object_id:
        # A record alone or named in a page's list (docs/decisions/0067); without a kind
        # the number may belong to any kind of record.
        if f.object_type:
            named = names_record(f.object_type, f.object_id)
        else:
            named = Q(object_id=f.object_id)
            for object_type in record_types():
                named |= names_record(object_type, f.object_id)
        events = events.filter(named)
    # Whole local days as datetime ranges, so the index on created_at is used.
    if f.date_from:
        events = events.filter(created_at__gte=_day_start(f.date_from))
    if f.date_until:
        events = events.filter(created_at__lt=_day_start(f.date_until + datetime.timedelta(days=1)))
    return events.order_by("-created_at", "-id")
