"""Recording counselling contacts."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import CaseStatus, Contact, ContactTopic, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core.services import model_create


@transaction.atomic
def contact_record(*, actor: User, contact: Contact, topics: Iterable[ContactTopic] = ()) -> Contact:
    if contact.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Contacts cannot be added to a closed case."))
    contact.recorded_by = actor
    chosen = list(topics)
    # Special-category topics go into the encrypted field, never into the link table.
    contact.sensitive_topics = ",".join(sorted(topic.key for topic in chosen if topic.sensitive))
    model_create(actor=actor, instance=contact)
    contact.topics.set([topic for topic in chosen if not topic.sensitive])
    record_event(
        actor=actor,
        case=contact.case,
        kind=EventKind.CONTACT,
        occurred_on=contact.date,
        obj=contact,
        details={"channel": contact.channel, "minutes": contact.duration_minutes},
    )
    return contact
