"""The cases on which pathway and school records are written: the case rule with
RECORD_CASE_WORK (core.access.case_filter), shared by every area that records on a case."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bruecke.cases.models import Case, CaseStatus
from bruecke.core import access
from bruecke.core.access import Perm


def recordable_cases(user: Any) -> QuerySet[Case]:
    return Case.objects.filter(access.case_filter(user, Perm.RECORD_CASE_WORK))


def recordable_case(user: Any, pk: int) -> Case:
    """A case the user records on, else 404."""
    return access.get_or_404(recordable_cases(user).select_related("participant"), pk=pk)


def newest_recordable_case(user: Any, participant_id: int) -> Case | None:
    """Where new records of the participant go: the newest open case the user records on
    (a participant may have cases with several partners); None without one."""
    return (
        recordable_cases(user)
        .filter(participant_id=participant_id)
        .exclude(status=CaseStatus.CLOSED)
        .order_by("-opened_on", "-pk")
        .first()
    )
