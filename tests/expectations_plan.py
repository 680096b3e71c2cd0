"""Persona × URL expectations for the integration plan (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import Case, Step, StepStatus
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect


def _case(demo: DemoNetwork) -> Case:
    return Case.objects.get(
        participant__organisation=demo.partners["A"], participant__family_name="Al-Hassan"
    )


def _open_step(demo: DemoNetwork) -> Step:
    step = Step.objects.filter(goal__plan__case=_case(demo), status=StepStatus.OPEN).first()
    assert step is not None, "the demo plan has open steps"
    return step


def _secret(demo: DemoNetwork) -> str:
    return _case(demo).participant.family_name


EDITORS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200}
READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}

EXPECTATIONS: dict[str, Expect] = {
    "cases:plan_edit": Expect(
        default=404, statuses=EDITORS, kwargs=lambda demo: {"pk": _case(demo).pk}, secret=_secret
    ),
    "cases:plan_version": Expect(
        default=404,
        statuses=READERS,
        kwargs=lambda demo: {"pk": _case(demo).pk, "number": 1},
        secret=_secret,
    ),
    "cases:plan_print": Expect(
        default=404, statuses=READERS, kwargs=lambda demo: {"pk": _case(demo).pk}, secret=_secret
    ),
    "cases:plan_pdf": Expect(
        default=404,
        statuses=READERS,
        kwargs=lambda demo: {"pk": _case(demo).pk},
        is_page=False,
        secret=_secret,
    ),
    # Starts the PDF as a background job and goes back to the print page: who may download it.
    "cases:plan_pdf_job": Expect(
        default=404,
        statuses={**READERS, "cm_a": 302, "po_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        method="post",
        secret=_secret,
    ),
    "cases:plan_step_done": Expect(
        default=404,
        # Marks the open demo step done and goes back to the case page.
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": _case(demo).pk, "step_pk": _open_step(demo).pk},
        method="post",
    ),
}
