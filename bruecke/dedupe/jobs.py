"""Background jobs of duplicate detection: the search for probable duplicates of an
organisation, started from the review page (or `manage.py dedupe_find_pairs`)."""

from __future__ import annotations

from django.utils.translation import gettext_noop

from bruecke.core import access
from bruecke.jobs.models import Job
from bruecke.jobs.services import JobInputGone, JobOutput, Progress, job_handler
from bruecke.network.models import Organisation

KIND = "dedupe.find_pairs"


@job_handler(KIND)
def find_pairs(job: Job, progress: Progress) -> JobOutput:
    from bruecke.dedupe.review.services import pairs_refresh

    organisation = Organisation.objects.filter(pk=job.params["organisation_id"]).first()
    user = job.created_by
    # Re-checked when it runs: the starter may have lost the role meanwhile.
    if (
        organisation is None
        or user is None
        or organisation.pk not in access.duplicate_review_organisation_ids(user)
    ):
        raise JobInputGone(gettext_noop("The organisation can no longer be searched for duplicates."))
    progress(0, 1)
    result = pairs_refresh(organisation, actor=user)
    progress(1, 1)
    # Counts only: the result file holds no personal data.
    summary = (
        f"registrations compared: {result.compared}\n"
        f"probable duplicates to review: {result.proposed}\n"
        f"new: {result.new}\n"
        f"no longer proposed: {result.dropped}\n"
    )
    return JobOutput(filename="duplicates-found.txt", content_type="text/plain", content=summary.encode())
