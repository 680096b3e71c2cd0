"""Persona × URL expectations for the offers app: pathways (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import Case
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case, _mohammed
from tests.expectations_offers_base import CASE_WRITERS_A


def _pupil_case(demo: DemoNetwork, family_name: str) -> Case:
    """The case of a school-age demo participant of partner A (bruecke/offers/demo/school.py)."""
    return Case.objects.get(
        participant__organisation=demo.partners["A"], participant__family_name=family_name
    )


# The school overview: those who record case work (case managers and team leads), each in
# their own scope.
SCHOOL_WORKERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}

EXPECTATIONS: dict[str, Expect] = {
    "offers:school_overview": Expect(default=404, statuses=SCHOOL_WORKERS),
    # Mohammed's case has no school record; its placement officer records on it too.
    "offers:school_create": Expect(
        default=404,
        statuses={**CASE_WRITERS_A, "po_a": 200},
        kwargs=lambda demo: {"case_pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "offers:school_edit": Expect(
        default=404,
        statuses=CASE_WRITERS_A,
        kwargs=lambda demo: {"case_pk": _pupil_case(demo, "Haidari").pk},
        secret=lambda demo: "Haidari",
    ),
    "offers:transition_edit": Expect(
        default=404,
        statuses=CASE_WRITERS_A,
        kwargs=lambda demo: {"case_pk": _pupil_case(demo, "Gebremedhin").pk},
        secret=lambda demo: "Gebremedhin",
    ),
}
