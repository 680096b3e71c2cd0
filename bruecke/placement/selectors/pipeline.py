"""Reads of the pipeline, placements and check-ins; scope only from `core.access`."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from bruecke.cases.models import Case
from bruecke.core import access
from bruecke.placement.models import OPEN_STAGES, Application, CheckIn, Placement, PlacementStatus, Stage
from bruecke.placement.selectors.scope import AnyUser, applications_visible_to, placements_visible_to

# The open stages in the order of the pipeline (the team's board shows one section each).
BOARD_STAGES = [s for s in Stage if s in OPEN_STAGES]
BOARD_PAGE_SIZE = 20
CASE_TAB_LIMIT = 50


def application_get(user: AnyUser, pk: object, *, write: bool = False) -> Application:
    queryset = applications_visible_to(user, write=write).select_related(
        "case__participant", "case__placement_officer", "opportunity__employer", "opportunity__occupation"
    )
    return access.get_or_404(queryset, pk=pk)


def application_steps(application: Application) -> QuerySet[Application]:
    return application.steps.select_related("recorded_by")  # type: ignore[return-value]


def placement_get(user: AnyUser, pk: object, *, write: bool = False) -> Placement:
    queryset = placements_visible_to(user, write=write).select_related(
        "case__participant", "employer", "opportunity", "application"
    )
    return access.get_or_404(queryset, pk=pk)


def check_in_get(user: AnyUser, pk: object, *, write: bool = False) -> CheckIn:
    placements = placements_visible_to(user, write=write).values("pk")
    queryset = CheckIn.objects.filter(placement_id__in=placements).select_related(
        "placement__case__participant", "placement__employer"
    )
    return access.get_or_404(queryset, pk=pk)


def may_work_on_case(user: AnyUser, case: Case) -> bool:
    """Whether `user` records pipeline steps and placements for the case."""
    return Case.objects.filter(pk=case.pk).filter(access.placement_work_filter(user, write=True)).exists()


def cases_for_pipeline(user: AnyUser) -> QuerySet[Case]:
    """Open cases the user may propose for an opportunity (the form's choices)."""
    return (
        Case.objects.filter(access.placement_work_filter(user, write=True))
        .exclude(status="closed")
        .select_related("participant")
        .order_by("participant__family_name", "participant__given_names", "pk")
    )


def board(user: AnyUser, *, mine: bool) -> QuerySet[Application]:
    """Open pipeline entries the user may see; `mine`: only cases where the user is the
    placement officer or the case manager."""
    queryset = applications_visible_to(user).filter(stage__in=sorted(OPEN_STAGES))
    if mine:
        queryset = queryset.filter(Q(case__placement_officer_id=user.pk) | Q(case__case_manager_id=user.pk))
    return queryset.select_related("case__participant", "opportunity__employer").order_by("stage_on", "pk")


def placements_needing_attention(user: AnyUser, *, mine: bool, today: datetime.date) -> QuerySet[Placement]:
    """Placements at risk, or with a check-in that is overdue."""
    overdue = CheckIn.objects.filter(done_on__isnull=True, due_on__lt=today).values("placement_id")
    queryset = placements_visible_to(user).filter(
        Q(status=PlacementStatus.AT_RISK) | Q(pk__in=overdue, status=PlacementStatus.ACTIVE)
    )
    if mine:
        queryset = queryset.filter(Q(case__placement_officer_id=user.pk) | Q(case__case_manager_id=user.pk))
    return queryset.select_related("case__participant", "employer").order_by("start_date", "pk")


def case_applications(case: Case) -> QuerySet[Application]:
    return case.applications.select_related("opportunity__employer").order_by("-stage_on", "-pk")


def case_placements(case: Case) -> QuerySet[Placement]:
    return case.placements.select_related("employer", "opportunity").order_by("-start_date", "-pk")


def overdue_check_ins(placements: list[Placement], today: datetime.date) -> set[int]:
    """The ids of those placements that have a missed check-in (one query)."""
    ids = [p.pk for p in placements] or [0]
    return set(
        CheckIn.objects.filter(placement_id__in=ids, done_on__isnull=True, due_on__lt=today).values_list(
            "placement_id", flat=True
        )
    )
