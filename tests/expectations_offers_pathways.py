"""Persona × URL expectations for the offers app: pathways (merged into tests/access_expectations.py).

The records are Mohammed's (team Rostock of partner A) from the demo; where a branch's demo
lacks them they are made here through the services."""

from __future__ import annotations

import datetime

from bruecke.cases.models import Case
from bruecke.network.demo import DemoNetwork
from bruecke.offers.models import LanguageAssessment, RecognitionProcedure
from bruecke.offers.services import pathways as services
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case, _mohammed
from tests.expectations_offers_base import CASE_READERS_A, CASE_WRITERS_A

# Mohammed's case has jonas.krause (po_a) as its placement officer: the case rule for
# recording (RECORD_CASE_WORK) includes a placement officer's assigned cases (decision 0043).
WRITERS = {**CASE_WRITERS_A, "po_a": 200}


def _case_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"case_pk": _case(demo).pk}


def _assessment(demo: DemoNetwork) -> dict[str, int]:
    case = _case(demo)
    found = LanguageAssessment.objects.filter(case=case).order_by("pk").first()
    if found is None:
        found = services.assessment_record(
            actor=demo.users["cm_a"],
            case=case,
            data={"level": "A2", "basis": "estimate", "assessed_on": datetime.date.today()},
        )
    return {"pk": found.pk}


def _recognition(demo: DemoNetwork) -> dict[str, int]:
    case = _case(demo)
    found = RecognitionProcedure.objects.filter(case=case).order_by("pk").first()
    if found is None:
        found = services.recognition_create(
            actor=demo.users["cm_a"],
            case=case,
            data={"qualification": "Diplom (Matrix)", "country": "SY", "authority": "Landesamt"},
        )
    return {"pk": found.pk}


def _pupil_case(demo: DemoNetwork, family_name: str) -> Case:
    """The case of a school-age demo participant of partner A (bruecke/offers/demo/school.py)."""
    return Case.objects.get(
        participant__organisation=demo.partners["A"], participant__family_name=family_name
    )


# The school overview: those who record case work (case managers and team leads), each in
# their own scope.
SCHOOL_WORKERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}


def _only(statuses: dict[str, int], kwargs: object) -> Expect:
    return Expect(default=404, statuses=statuses, kwargs=kwargs)  # type: ignore[arg-type]


EXPECTATIONS: dict[str, Expect] = {
    "offers:language_create": _only(WRITERS, _case_pk),
    "offers:language_edit": _only(WRITERS, _assessment),
    "offers:language_delete": _only(WRITERS, _assessment),
    "offers:recognition_create": _only(WRITERS, _case_pk),
    "offers:recognition_detail": _only(CASE_READERS_A, _recognition),
    "offers:recognition_edit": _only(WRITERS, _recognition),
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
