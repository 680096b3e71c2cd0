"""Opening a case."""

from __future__ import annotations

from django.db import transaction

from bruecke.accounts.models import User
from bruecke.cases.models import Case, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core.services import model_create


@transaction.atomic
def case_open(*, actor: User, case: Case) -> Case:
    case.organisation = case.participant.organisation
    model_create(actor=actor, instance=case)
    record_event(actor=actor, case=case, kind=EventKind.OPENED, occurred_on=case.opened_on, obj=case)
    return case
