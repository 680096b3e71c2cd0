"""Ending a person's stored sessions (database sessions), e.g. after a lost phone or on
request from another device. Rare actions, so reading every live session is acceptable."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone


def end_sessions(user_pk: int, *, keep: str = "") -> int:
    """Deletes the live sessions of one user except the one with key `keep`; returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gte=timezone.now()).iterator():
        if session.session_key != keep and session.get_decoded().get("_auth_user_id") == str(user_pk):
            session.delete()
            ended += 1
    return ended
