"""Persona × URL expectations for tasks (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import Task
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case

# Everyone with personal-data access has a task list and may write free tasks.
PERSONAL_DATA_ROLES = {"cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}
# Marking done / reopening: the assignee (cm_a) and those who record case work on the case,
# which includes Jonas Krause (po_a) as its placement officer (decision 0037).
TASK_ACTORS = {ANON: LOGIN_REDIRECT, "cm_a": 302, "po_a": 302, "team_lead": 302}


def demo_task(demo: DemoNetwork) -> Task:
    """Anna Berger's overdue demo task on Mohammed's case."""
    return Task.objects.get(case=_case(demo), title="Bewerbungsunterlagen durchsehen")


EXPECTATIONS: dict[str, Expect] = {
    "cases:task_list": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **PERSONAL_DATA_ROLES}),
    "cases:task_create": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **PERSONAL_DATA_ROLES}),
    "cases:case_task_create": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _case(demo).pk},
    ),
    "cases:task_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": demo_task(demo).pk},
        secret=lambda demo: demo_task(demo).title,
    ),
    "cases:task_done": Expect(
        default=404,
        statuses=TASK_ACTORS,
        kwargs=lambda demo: {"pk": demo_task(demo).pk},
        method="post",
        secret=lambda demo: demo_task(demo).title,
    ),
    "cases:task_reopen": Expect(
        default=404,
        statuses=TASK_ACTORS,
        kwargs=lambda demo: {"pk": demo_task(demo).pk},
        method="post",
        secret=lambda demo: demo_task(demo).title,
    ),
}
