"""Every write to cases and contacts: validated, audited, in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import (
    Assessment,
    AssessmentItem,
    BarrierType,
    Case,
    CaseStatus,
    Contact,
    ContactTopic,
)
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


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    items: list[tuple[BarrierType, int, str]],
) -> Assessment:
    """One (re-)assessment: severities per barrier with encrypted notes, all or nothing."""
    errors: dict[str, str] = {}
    if assessed_on > datetime.date.today():
        errors["assessed_on"] = _("The assessment cannot be in the future.")
    elif assessed_on < case.opened_on:
        errors["assessed_on"] = _("The assessment cannot be before the case was opened.")
    if not items:
        errors["__all__"] = _("Please assess at least one barrier.")
    if errors:
        raise ValidationError(errors)
    assessment = model_create(
        actor=actor, instance=Assessment(case=case, assessed_on=assessed_on, assessed_by=actor)
    )
    AssessmentItem.objects.bulk_create(
        AssessmentItem(assessment=assessment, barrier=barrier, severity=severity, note=note)
        for barrier, severity, note in items
    )
    return assessment
