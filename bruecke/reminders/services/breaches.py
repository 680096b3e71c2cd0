"""Step 2: e-mail the data-protection officers when a breach's 72-hour deadline is near.

A breach that is open, not exempt by its risk assessment and not yet notified to the
supervisory authority, whose deadline (discovery + 72 hours, Art. 33(1) GDPR) falls within
the next 24 hours, gets one e-mail to the active data-protection officers of its
organisation. A deadline already passed counts as well: a run missed on the day before
must not hide an overdue notification. Once per breach (a `Notice` with a unique key).
"""

from __future__ import annotations

import datetime
from functools import partial

from django.db import transaction
from django.utils import timezone

from bruecke.network.models import Membership, Role
from bruecke.privacy.models import DEADLINE_WARNING, NOTIFICATION_DEADLINE, Breach, BreachRisk, BreachStatus
from bruecke.reminders import mails
from bruecke.reminders.items import Items
from bruecke.reminders.models import NoticeKind
from bruecke.reminders.services.runs import notice_claim


def breach_deadline_notices(*, now: datetime.datetime | None = None) -> dict[str, int]:
    moment = now or timezone.now()
    items = Items("breach_deadlines")
    due = (
        Breach.objects.filter(
            status=BreachStatus.OPEN,
            authority_notified_at__isnull=True,
            detected_at__lte=moment + DEADLINE_WARNING - NOTIFICATION_DEADLINE,
        )
        .exclude(risk=BreachRisk.NONE)
        .select_related("organisation")
        .order_by("detected_at", "id")
    )
    for breach in due:
        items.run(partial(_notify_one, breach, moment))
    return items.result()


def data_protection_officers(organisation_id: int) -> list[int]:
    officers = Membership.objects.filter(
        organisation_id=organisation_id,
        role=Role.DATA_PROTECTION_OFFICER,
        ended_on__isnull=True,
        user__is_active=True,
    ).exclude(user__email="")
    return sorted(set(officers.values_list("user_id", flat=True)))


@transaction.atomic
def _notify_one(breach: Breach, moment: datetime.datetime) -> str:
    recipients = data_protection_officers(breach.organisation_id)
    if not recipients:
        return "no_recipient"  # tried again by the next run, once an officer is named
    notice = notice_claim(
        kind=NoticeKind.BREACH_DEADLINE,
        about=breach,
        recipients=len(recipients),
        organisation=breach.organisation,
    )
    if notice is None:
        return "already_sent"
    mails.send_on_commit(
        notice_pks=[notice.pk],
        template="breach_deadline",
        recipients=recipients,
        context={
            "organisation": breach.organisation.name,
            "detected_at": mails.local(breach.detected_at),
            "deadline": mails.local(breach.notification_due),
            "overdue": breach.notification_due < moment,
            "link": mails.link("privacy:breach_edit", breach.pk),
        },
    )
    return "sent"
