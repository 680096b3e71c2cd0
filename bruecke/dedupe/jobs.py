"""Background job of duplicate detection: training a network's model (`dedupe.train`)."""

from __future__ import annotations

import json

from django.utils.translation import gettext_noop

from bruecke.accounts.models import User
from bruecke.core.access import Perm, network_ids
from bruecke.jobs.models import Job
from bruecke.jobs.services import JobFailed, JobInputGone, JobOutput, Progress, job_handler
from bruecke.network.models import Network

TRAIN_KIND = "dedupe.train"

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
