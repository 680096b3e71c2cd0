"""Persona × URL expectations for the esf app (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect, _only


def _mohammed(demo: DemoNetwork) -> Participant:
    """Partner A, team Rostock (a local copy: importing tests.access_expectations would cycle)."""
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


EXPECTATIONS: dict[str, Expect] = {
    # The questionnaire is a form: only those who may edit this participant open it.
    "esf:entry": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _mohammed(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    # Everyone who works with personal data sees the incomplete records of their own scope.
    "esf:incomplete": _only({"cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}),
}
