"""Reads of cases and contacts through the access module's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Prefetch, QuerySet

from bruecke.accounts.models import User
from bruecke.cases.models import Assessment, AssessmentItem, BarrierType, Case, Contact
from bruecke.core import access
from bruecke.core.access import Perm

AnyUser = User | AnonymousUser


def cases_visible_to(user: AnyUser, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> QuerySet[Case]:
    """A partner's own cases (narrowed to the team where the role says so); shared
    participants give no access to the sharing partner's cases."""
    return access.personal_data_visible_to(user, Case.objects.all(), team_field="team", perm=perm)


def case_get(user: AnyUser, pk: object, perm: Perm = Perm.VIEW_PERSONAL_DATA) -> Case:
    queryset = cases_visible_to(user, perm).select_related(
        "participant", "team", "office", "case_manager", "placement_officer", "organisation"
    )
    return access.get_or_404(queryset, pk=pk)


def case_contacts(case: Case) -> QuerySet[Contact]:
    return case.contacts.select_related("site", "recorded_by").prefetch_related("topics")


def may_read_confidential(user: AnyUser, case: Case) -> bool:
    """Confidential notes: only the case's own case manager and placement officer."""
    return user.is_authenticated and user.pk in (case.case_manager_id, case.placement_officer_id)


def participant_cases(user: AnyUser, participant_pk: int) -> QuerySet[Case]:
    return (
        cases_visible_to(user)
        .filter(participant_id=participant_pk)
        .select_related("case_manager", "team")
        .annotate(contact_count=Count("contacts"), last_contact=Max("contacts__date"))
    )


@dataclass(frozen=True)
class BarrierRow:
    barrier: BarrierType
    first: int | None
    latest: int | None
    note: str | None  # None: hidden (sensitive and not the case's own staff)

    @property
    def change(self) -> str:
        if self.first is None or self.latest is None or self.first == self.latest:
            return "same"
        return "smaller" if self.latest < self.first else "larger"


def barrier_trajectory(user: AnyUser, case: Case) -> tuple[list[Assessment], list[BarrierRow]]:
    """All assessments (newest first) and, per barrier, the first and latest severity."""
    assessments = list(
        case.assessments.select_related("assessed_by").prefetch_related(
            Prefetch("items", queryset=AssessmentItem.objects.select_related("barrier"))
        )
    )
    if not assessments:
        return [], []
    own_staff = may_read_confidential(user, case)
    first: dict[int, int] = {}
    latest: dict[int, AssessmentItem] = {}
    for assessment in reversed(assessments):  # oldest first
        for item in assessment.items.all():
            first.setdefault(item.barrier_id, item.severity)
            latest[item.barrier_id] = item
    rows = [
        BarrierRow(
            barrier=item.barrier,
            first=first[barrier_id],
            latest=item.severity,
            note=None if item.barrier.sensitive and not own_staff else item.note,
        )
        for barrier_id, item in sorted(latest.items(), key=lambda pair: pair[1].barrier.position)
    ]
    return assessments, rows
