"""Persona × URL expectations for the rules app (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, MEMBERS, Expect


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


EXPECTATIONS: dict[str, Expect] = {
    # Whoever may view the participant may ask the question.
    "rules:question": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _mohammed(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    # Every member holds Perm.VIEW_NETWORK.
    "rules:overview": Expect(default=200, statuses={ANON: LOGIN_REDIRECT, **dict.fromkeys(MEMBERS, 200)}),
}
