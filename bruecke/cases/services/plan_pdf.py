"""Starting the integration plan's PDF as a background job (plans too large for a request)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, PlanVersion
from bruecke.core.audit import audit_read
from bruecke.jobs.models import Job
from bruecke.jobs.services import job_start


@transaction.atomic
def plan_pdf_job_start(*, actor: User, case: Case, version: PlanVersion, language: str) -> Job:
    """Recorded as a read of the version, like a direct download; the job's title and
    parameters name the case by number only."""
    from bruecke.cases.jobs import KIND, job_params

    job = job_start(
        actor=actor,
        kind=KIND,
        params=job_params(case=case, version=version, language=language),
        title=_("Integration plan, case no. %(id)s, version %(number)s")
        % {"id": case.pk, "number": version.number},
        organisation=case.organisation,
    )
    audit_read(actor=actor, obj=version)
    return job
