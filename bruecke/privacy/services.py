"""Writes of the privacy app: the breach register (validated, audited, locked) and the
start of the access report's PDF as a background job."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.core.audit import audit_record
from bruecke.core.models import AuditAction
from bruecke.core.services import model_create, model_update
from bruecke.jobs.models import Job
from bruecke.jobs.services import job_start
from bruecke.participants.models import Participant
from bruecke.privacy.models import Breach


@transaction.atomic
def breach_record(*, actor: User, breach: Breach) -> Breach:
    if breach.organisation_id not in access.organisation_ids(actor, Perm.MANAGE_BREACHES):
        raise ValidationError({"organisation": _("You keep no breach register for this organisation.")})
    breach.recorded_by = actor
    return model_create(actor=actor, instance=breach)


@transaction.atomic
def breach_update(
    *, actor: User, breach: Breach, data: Mapping[str, Any], expected_version: int | None
) -> Breach:
    updated, _changed = model_update(
        actor=actor, instance=breach, data=data, expected_version=expected_version
    )
    return updated


@transaction.atomic
def access_report_pdf_job_start(*, actor: User, participant: Participant, language: str) -> Job:
    """Starts making the report's PDF in the background (reports too large for a request).
    Recorded like a direct download, as a copy of the report; the job's title and
    parameters name the participant by number only."""
    from bruecke.privacy.jobs import KIND, job_params

    job = job_start(
        actor=actor,
        kind=KIND,
        params=job_params(participant=participant, language=language),
        title=_("Access report (Art. 15 GDPR), participant no. %(id)s") % {"id": participant.pk},
        organisation=participant.organisation,
    )
    audit_record(actor=actor, action=AuditAction.SUBJECT_ACCESS, obj=participant)
    return job
