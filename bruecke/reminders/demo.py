"""Demo data for the daily run: whatever day `make run` starts on, Mohammed Al-Hassan's
current residence document expires within the reminder window, so the run gives Anna
Berger a reminder task. (Fresh demo data has it expire in 10 days; an older demo database
gets a renewed document, recorded as staff would record it.)"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant, ResidenceStatus
from bruecke.participants.services import residence_status_add

DAYS_LEFT = 10


@transaction.atomic
def seed_expiring_document(demo: DemoNetwork, today: datetime.date | None = None) -> ResidenceStatus | None:
    """Idempotent: adds a document only when the current one lies outside the window."""
    day = today or datetime.date.today()
    participant = Participant.objects.filter(organisation=demo.partners["A"], family_name="Al-Hassan").first()
    if participant is None:
        return None
    window_end = day + datetime.timedelta(days=settings.RESIDENCE_REMINDER_DAYS)
    current = participant.residence_statuses.order_by("-issued_on", "-id").first()
    if current is None or (current.valid_until and day <= current.valid_until <= window_end):
        return None
    return residence_status_add(
        actor=demo.users["cm_a"],
        status=ResidenceStatus(
            participant=participant,
            status=current.status,
            issued_on=max(day - datetime.timedelta(days=180), current.issued_on),
            valid_until=day + datetime.timedelta(days=DAYS_LEFT),
            work_note=current.work_note,
        ),
    )
