"""The run record and the once-only notices.

The run is the system, not a person: audit events of its writes have no actor, as for the
other writes that no one in the user interface made (seeding, command-line repairs).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

from bruecke.core.audit import audit_record, object_type_of
from bruecke.core.models import AuditAction
from bruecke.network.models import Organisation
from bruecke.reminders.models import Notice, NoticeKind, RunOutcome, ScheduleRun


def run_start(*, today: datetime.date) -> ScheduleRun:
    return ScheduleRun.objects.create(run_on=today)


def run_finish(*, run: ScheduleRun, steps: dict[str, dict[str, Any]]) -> ScheduleRun:
    failed = any(step["outcome"] == RunOutcome.FAILED for step in steps.values())
    run.steps = steps
    run.outcome = RunOutcome.FAILED if failed else RunOutcome.OK
    run.finished_at = timezone.now()
    run.save(update_fields=["steps", "outcome", "finished_at"])
    return run


def notice_claim(
    *,
    kind: NoticeKind,
    about: Model,
    occasion: str = "",
    recipients: int,
    organisation: Organisation | None = None,
) -> Notice | None:
    """Records that the notice about `about` is being sent, in the caller's transaction;
    None if it has been sent before (or a concurrent run is sending it right now: its
    insert holds the unique key, ours waits for its commit and then fails)."""
    notice = Notice(
        kind=kind,
        object_type=object_type_of(about),
        object_id=str(about.pk),
        occasion=occasion,
        recipients=recipients,
    )
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        return None
    audit_record(actor=None, action=AuditAction.CREATE, obj=notice, organisation=organisation)
    return notice


@transaction.atomic
def notice_release(*, notice_pk: int) -> None:
    """Forgets a notice whose e-mail could not be handed to the mail server, so that the
    next run tries again."""
    notice = Notice.objects.filter(pk=notice_pk).first()
    if notice is not None:
        audit_record(actor=None, action=AuditAction.DELETE, obj=notice)
        notice.delete()
