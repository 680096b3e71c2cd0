"""Step 4: records that pile up because nothing else removes them.

- Sign-in throttle counters (`accounts.ThrottleCounter`): one row per attempted user name
  and client address, reset when used again but never deleted. A counter whose window
  ended a day ago counts nothing any more (`accounts.throttle` starts a new window).
- One-time form tokens (`core.SubmissionToken`) older than `KEEP_TOKENS`: each save clears
  its own user's old tokens, but not those of people who stopped saving.
- Expired sessions (database sessions): Django's `clearsessions`, which no one runs.

One audit event per kind of record and run (what was cleared, not which rows: none of
them is personal data of a participant); the counts go to the run record.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from bruecke.accounts.models import ThrottleCounter
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction, SubmissionToken
from bruecke.core.submission import purge_submission_tokens

# Only counters idle for a day beyond their window go. An attempt of exactly that name or
# address in the same millisecond as the deletion could be refused once (its counter row
# vanished between get_or_create and the UPDATE); accepted, as the person simply retries.
THROTTLE_MARGIN = datetime.timedelta(days=1)


def housekeeping(*, now: datetime.datetime | None = None) -> dict[str, int]:
    moment = now or timezone.now()
    return {
        "throttle_counters_deleted": _throttle_counters(moment),
        "submission_tokens_deleted": _submission_tokens(moment),
        "sessions_deleted": _sessions(moment),
    }


def _audited(model: type[Model], deleted: int) -> int:
    if deleted:
        audit_record(actor=None, action=AuditAction.DELETE, object_type=model._meta.label_lower)
    return deleted


@transaction.atomic
def _throttle_counters(moment: datetime.datetime) -> int:
    window = datetime.timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    deleted, _by_model = ThrottleCounter.objects.filter(
        window_start__lt=moment - window - THROTTLE_MARGIN
    ).delete()
    return _audited(ThrottleCounter, deleted)


@transaction.atomic
def _submission_tokens(moment: datetime.datetime) -> int:
    return _audited(SubmissionToken, purge_submission_tokens(moment))


@transaction.atomic
def _sessions(moment: datetime.datetime) -> int:
    deleted, _by_model = Session.objects.filter(expire_date__lt=moment).delete()
    return _audited(Session, deleted)
