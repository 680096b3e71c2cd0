"""Persona × URL expectations for the cases app (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import Case
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _case(demo: DemoNetwork) -> Case:
    return Case.objects.get(participant=_mohammed(demo))


EXPECTATIONS: dict[str, Expect] = {
    "cases:open": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"participant_pk": _mohammed(demo).pk},
    ),
    "cases:detail": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "cases:timeline": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "cases:assessment_create": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _case(demo).pk},
    ),
    "cases:contact_create": Expect(
        default=404,
        # An empty form is refused with 400 for those who record case work (the placement
        # officer on his own case, decision 0037), 404 for everyone else.
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 400, "po_a": 400, "team_lead": 400},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        method="post",
    ),
}
