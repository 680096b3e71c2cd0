"""Failed-login throttling, counted from the audit log itself (one source of truth)."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.utils import timezone

from bruecke.core.models import AuditAction, AuditEvent


def username_key(username: str) -> str:
    """A keyed digest of the attempted user name: countable, but not the name itself."""
    normalised = username.strip().casefold().encode("utf-8")
    return hmac.new(settings.SECRET_KEY.encode(), normalised, hashlib.sha256).hexdigest()[:32]


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)


def is_throttled(username: str, remote_addr: str | None) -> bool:
    failures = AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, created_at__gte=_window_start())
    if failures.filter(object_id=username_key(username)).count() >= settings.LOGIN_FAILURE_LIMIT:
        return True
    if remote_addr:
        per_address = failures.filter(remote_addr=remote_addr).count()
        return per_address >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    return False
