"""Background jobs of duplicate detection: training a network's model (`dedupe.train`) and
the search for probable duplicates of an organisation (`dedupe.find_pairs`, started from
the review page or `manage.py dedupe_find_pairs`)."""

from __future__ import annotations

import json

from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.core import access
from bruecke.core.access import Perm, network_ids
from bruecke.jobs.models import Job
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.network.models import Network, Organisation

TRAIN_KIND = "dedupe.train"
KIND = "dedupe.find_pairs"

NOT_ALLOWED = gettext_noop("You may no longer train the duplicate detection of this network.")
TOO_FEW = gettext_noop("The network has too few registrations to train duplicate detection on.")


def may_train(user: User, network_id: int) -> bool:
    """Team leads and data-protection officers (who review duplicates) and network
    administrators may retrain their network's model."""
    allowed = network_ids(user, Perm.REVIEW_DUPLICATES) | network_ids(user, Perm.MANAGE_NETWORK)
    return network_id in allowed


@job_handler(TRAIN_KIND)
def train_network_model(job: Job, progress: Progress) -> JobOutput:
    from bruecke.dedupe.training import model_train

    network = Network.objects.filter(pk=job.params.get("network_id")).first()
    if network is None or job.created_by is None or not may_train(job.created_by, network.pk):
        raise JobInputGone(NOT_ALLOWED)
    progress(0, 1)
    row = model_train(network, job.created_by)
    if row is None:
        raise JobFailed(TOO_FEW)
    progress(1, 1)
    summary = {
        "model": row.pk,
        "trained_on_records": row.trained_on_records,
        "threshold_weight": row.threshold_weight,
    }
    return JobOutput(
        filename=f"dedupe-model-{row.pk}.json",
        content_type="application/json",
        content=json.dumps(summary, indent=2).encode(),
    )


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
