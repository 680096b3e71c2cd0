"""Reads of a case's integration plan. The case itself comes from `cases.case_get` (scoped)."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404

from bruecke.cases.models import Case, Goal, Plan, PlanVersion, Step
from bruecke.core import access


def case_plan(case: Case) -> Plan | None:
    """The current plan with its goals and steps (three queries, whatever the plan holds)."""
    goals = Goal.objects.prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("position", "id")))
    return Plan.objects.filter(case=case).prefetch_related(Prefetch("goals", queryset=goals)).first()


def plan_versions(case: Case) -> list[PlanVersion]:
    """The agreed versions, newest first, without their snapshots."""
    return list(PlanVersion.objects.filter(plan__case=case).defer("snapshot").select_related("created_by"))


def plan_version_get(case: Case, number: object) -> PlanVersion:
    """One agreed version of the case's plan; `number` None: the latest. Absent: 404."""
    versions = PlanVersion.objects.filter(plan__case=case).select_related("created_by", "plan")
    if number is None:
        latest = versions.first()
        if latest is None:
            raise Http404
        return latest
    return access.get_or_404(versions, number=number)


def plan_step_get(case: Case, pk: object) -> Step:
    return access.get_or_404(Step.objects.filter(goal__plan__case=case), pk=pk)
