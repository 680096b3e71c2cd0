"""Step: missed follow-up check-ins after a placement's start (Nachbetreuung).

A check-in whose due date has passed without being recorded is announced once to the
case's placement officer (else its case manager): one e-mail per person and run with the
count and a link to the pipeline, never names. Once per check-in and due date (a
`Notice`); placements that have ended are left alone.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from functools import partial

from django.db import transaction

from bruecke.placement.models import CheckIn, PlacementStatus
from bruecke.reminders import mails
from bruecke.reminders.items import Items
from bruecke.reminders.models import Notice, NoticeKind
from bruecke.reminders.services.runs import notice_claim

# Not (yet) one of NoticeKind's choices: adding it there needs a migration of the
# reminders app, which the integration adds; the column takes the value as it is.
CHECK_IN_MISSED = NoticeKind.CHECK_IN_MISSED
# A check-in missed longer ago than this was announced by an earlier run (or predates the
# step): the pipeline page and the placement show it as overdue anyway.
LOOKBACK = datetime.timedelta(days=60)
CHECK_IN_TYPE = CheckIn._meta.label_lower


def missed_check_in_notices(*, today: datetime.date) -> dict[str, int]:
    items = Items("missed_check_ins")
    for recipient_id, check_ins in _unannounced(today).items():
        items.run(partial(_announce_counted, recipient_id, check_ins, items.counts))
    return items.result(drop=("nothing_new",))


def _recipient(check_in: CheckIn) -> int | None:
    case = check_in.placement.case
    for person in (case.placement_officer, case.case_manager):
        if person is not None and person.is_active and person.email:
            return person.pk
    return None


def _unannounced(today: datetime.date) -> dict[int, list[CheckIn]]:
    missed = list(
        CheckIn.objects.filter(
            done_on__isnull=True,
            due_on__lt=today,
            due_on__gte=today - LOOKBACK,
            placement__status__in=[PlacementStatus.ACTIVE, PlacementStatus.AT_RISK],
        )
        .select_related("placement__case__placement_officer", "placement__case__case_manager")
        .order_by("pk")
    )
    announced = set(
        Notice.objects.filter(
            kind=CHECK_IN_MISSED, object_type=CHECK_IN_TYPE, object_id__in=[str(c.pk) for c in missed]
        ).values_list("object_id", "occasion")
    )
    by_recipient: dict[int, list[CheckIn]] = defaultdict(list)
    for check_in in missed:
        recipient = _recipient(check_in)
        if recipient is not None and (str(check_in.pk), check_in.due_on.isoformat()) not in announced:
            by_recipient[recipient].append(check_in)
    return by_recipient


def _announce_counted(recipient_id: int, check_ins: list[CheckIn], counts: Counter[str]) -> str:
    announced = _announce(recipient_id, check_ins)
    counts["check_ins_announced"] += announced
    return "mails" if announced else "nothing_new"


@transaction.atomic
def _announce(recipient_id: int, check_ins: list[CheckIn]) -> int:
    # Row locks on the check-ins: a concurrent run waits, then finds the notices claimed.
    list(CheckIn.objects.select_for_update().filter(pk__in=[c.pk for c in check_ins]).values_list("pk"))
    claims = (
        notice_claim(
            kind=CHECK_IN_MISSED,
            about=check_in,
            occasion=check_in.due_on.isoformat(),
            recipients=1,
        )
        for check_in in check_ins
    )
    claimed = [notice for notice in claims if notice is not None]
    if claimed:
        mails.send_on_commit(
            notice_pks=[notice.pk for notice in claimed],
            template="check_ins_missed",
            recipients=[recipient_id],
            context={"count": len(claimed), "link": mails.link("placement:pipeline")},
        )
    return len(claimed)
