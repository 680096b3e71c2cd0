"""Barrier (re-)assessments."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Assessment, AssessmentItem, BarrierType, Case, EventKind
from bruecke.cases.services.timeline import record_event
from bruecke.core.locking import EditConflict
from bruecke.core.services import model_create


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    case: Case,
    assessed_on: datetime.date,
    items: list[tuple[BarrierType, int, str]],
    based_on: int | None = None,
) -> Assessment:
    """One (re-)assessment: severities per barrier with encrypted notes, all or nothing.

    `based_on` is the id of the latest assessment the user saw (0 for none); when someone
    recorded another assessment meanwhile, the save is refused as a conflict (None: no check).
    """
    Case.objects.select_for_update().filter(pk=case.pk).first()  # serialises re-assessments
    if based_on is not None:
        latest = case.assessments.order_by("-id").values_list("id", flat=True).first() or 0
        if latest != based_on:
            raise EditConflict()
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
    record_event(
        actor=actor,
        case=case,
        kind=EventKind.ASSESSMENT,
        occurred_on=assessed_on,
        obj=assessment,
        details={"barriers": len(items)},
    )
    return assessment
