"""Reads of the language and recognition pathways. Scope comes only from `core.access`:
records hang on a case and follow the case rule (`case_record_filter`); outside it, 404."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core import access
from bruecke.core.access import Perm
from bruecke.offers.chart import level_chart
from bruecke.offers.models import (
    LANGUAGE_MEASURE_KINDS,
    LanguageAssessment,
    RecognitionProcedure,
    Referral,
)
from bruecke.offers.selectors.cases import newest_recordable_case
from bruecke.participants.models import Participant


def assessments_visible_to(user: Any, *, write: bool = False) -> QuerySet[LanguageAssessment]:
    return LanguageAssessment.objects.filter(access.case_record_filter(user, write=write))


def recognitions_visible_to(user: Any, *, write: bool = False) -> QuerySet[RecognitionProcedure]:
    return RecognitionProcedure.objects.filter(access.case_record_filter(user, write=write))


def assessment_get(user: Any, pk: int, *, write: bool = False) -> LanguageAssessment:
    return access.get_or_404(
        assessments_visible_to(user, write=write).select_related("case", "participant"), pk=pk
    )


def recognition_get(user: Any, pk: int, *, write: bool = False) -> RecognitionProcedure:
    return access.get_or_404(
        recognitions_visible_to(user, write=write).select_related(
            "case", "participant", "reference_occupation", "recorded_by"
        ),
        pk=pk,
    )


def language_courses(user: Any, participant_id: int) -> QuerySet[Referral]:
    """Referrals of the participant to German courses, in the user's scope."""
    return (
        Referral.objects.filter(access.case_record_filter(user))
        .filter(participant_id=participant_id, measure__kind__in=sorted(LANGUAGE_MEASURE_KINDS))
        .select_related("measure__provider")
        .order_by("-status_on", "-pk")
    )


def pathway_section(user: User, participant: Participant) -> dict[str, Any]:
    """Everything the participant page's "Sprache und Anerkennung" section shows, in a
    constant number of queries (four, however many records there are)."""
    assessments = list(
        assessments_visible_to(user)
        .filter(participant_id=participant.pk)
        .select_related("recorded_by")
        .order_by("assessed_on", "pk")
    )
    recognitions = list(
        recognitions_visible_to(user)
        .filter(participant_id=participant.pk)
        .select_related("reference_occupation")
        .order_by("-applied_on", "-pk")
    )
    courses = list(language_courses(user, participant.pk))
    case = newest_recordable_case(user, participant.pk)
    writable = case is not None
    return {
        "assessments": assessments,
        "assessments_newest_first": assessments[::-1],
        "chart": level_chart([(a.assessed_on, a.level) for a in assessments]),
        "recognitions": recognitions,
        "courses": courses,
        "recording_case": case,
        "can_record": writable,
        # Edit links only where the user records on the record's case.
        "writable_case_ids": _writable_case_ids(user, [*assessments, *recognitions]) if writable else set(),
    }


def _writable_case_ids(user: Any, records: list[Any]) -> set[int]:
    # `or [0]`: an empty list would skip the query, and the page's query count would vary.
    case_ids = sorted({r.case_id for r in records}) or [0]
    return set(
        Case.objects.filter(access.case_filter(user, Perm.RECORD_CASE_WORK))
        .filter(pk__in=case_ids)
        .values_list("pk", flat=True)
    )
