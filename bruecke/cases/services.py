"""Every write to cases and contacts: validated, audited, in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseStatus, Contact, ContactTopic
from bruecke.core.services import model_create


@transaction.atomic
def case_open(*, actor: User, case: Case) -> Case:
    case.organisation = case.participant.organisation
    return model_create(actor=actor, instance=case)


@transaction.atomic
def contact_record(*, actor: User, contact: Contact, topics: Iterable[ContactTopic] = ()) -> Contact:
    if contact.case.status == CaseStatus.CLOSED:
        raise ValidationError(_("Contacts cannot be added to a closed case."))
    contact.recorded_by = actor
    model_create(actor=actor, instance=contact)
    contact.topics.set(list(topics))
    return contact
