"""Writing network work: trainings with their audience and materials, awareness events,
cooperation partners with their contacts and meetings.

Every write is validated, saved and audited in one transaction (core.services). A
training's audience is written with the training: the rows of the form replace the stored
ones, so nothing is half-saved.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core.services import model_create, model_delete, model_update
from bruecke.core.uploads import safe_name
from bruecke.offers.materials import validate_material
from bruecke.offers.models import (
    AwarenessEvent,
    CooperationContact,
    CooperationMeeting,
    CooperationPartner,
    MeetingKind,
    Training,
    TrainingAudience,
    TrainingMaterial,
)


def _row(audience: TrainingAudience) -> tuple[str, str, int]:
    return (audience.kind, audience.organisation_name, audience.attendees)


def _replace_audience(actor: User, training: Training, audience: Sequence[TrainingAudience]) -> None:
    stored = list(training.audience.order_by("id"))
    if [_row(row) for row in stored] == [_row(row) for row in audience]:
        return
    for row in stored:
        model_delete(actor=actor, instance=row)
    for row in audience:
        row.training = training
        model_create(actor=actor, instance=row)


@transaction.atomic
def training_create(*, actor: User, training: Training, audience: Sequence[TrainingAudience]) -> Training:
    saved = model_create(actor=actor, instance=training)
    _replace_audience(actor, saved, audience)
    return saved


@transaction.atomic
def training_update(
    *,
    actor: User,
    training: Training,
    data: Mapping[str, Any],
    expected_version: int | None,
    audience: Sequence[TrainingAudience],
) -> Training:
    saved, changed = model_update(
        actor=actor, instance=training, data=data, expected_version=expected_version
    )
    before = [_row(row) for row in saved.audience.order_by("id")]
    _replace_audience(actor, saved, audience)
    if not changed and before != [_row(row) for row in audience]:
        # Only the audience changed: the training's version still moves on, so a second
        # editor of the same training gets a conflict instead of overwriting the rows.
        Training.objects.filter(pk=saved.pk).update(version=saved.version + 1)
        saved.version += 1
    return saved


@transaction.atomic
def material_upload(*, actor: User, material: TrainingMaterial, upload: UploadedFile) -> TrainingMaterial:
    """Stores the file (checked by content) under a random name and records it; if saving
    the record fails, the file is removed again."""
    extension = validate_material(upload)
    material.uploaded_by = actor
    material.size = upload.size or 0
    material.full_clean(exclude=["file"])
    material.file.save(safe_name(extension), upload, save=False)
    stored = material.file.name
    try:
        with transaction.atomic():
            model_create(actor=actor, instance=material)
    except BaseException:
        material.file.storage.delete(stored)
        raise
    return material


@transaction.atomic
def event_create(*, actor: User, event: AwarenessEvent) -> AwarenessEvent:
    return model_create(actor=actor, instance=event)


@transaction.atomic
def event_update(
    *, actor: User, event: AwarenessEvent, data: Mapping[str, Any], expected_version: int | None
) -> AwarenessEvent:
    return model_update(actor=actor, instance=event, data=data, expected_version=expected_version)[0]


@transaction.atomic
def partner_create(*, actor: User, partner: CooperationPartner) -> CooperationPartner:
    return model_create(actor=actor, instance=partner)


@transaction.atomic
def partner_update(
    *, actor: User, partner: CooperationPartner, data: Mapping[str, Any], expected_version: int | None
) -> CooperationPartner:
    return model_update(actor=actor, instance=partner, data=data, expected_version=expected_version)[0]


@transaction.atomic
def contact_create(*, actor: User, contact: CooperationContact) -> CooperationContact:
    return model_create(actor=actor, instance=contact)


@transaction.atomic
def meeting_create(*, actor: User, meeting: CooperationMeeting) -> CooperationMeeting:
    if meeting.agreed_until is not None and meeting.kind != MeetingKind.AGREEMENT:
        raise ValidationError(
            {"agreed_until": _("Only an agreement runs until a date. Please leave it empty.")}
        )
    meeting.recorded_by = actor
    return model_create(actor=actor, instance=meeting)
