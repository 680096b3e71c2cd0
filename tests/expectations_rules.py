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
    # The printable summary: the record's facts today (GET), or the question form's (POST).
    "rules:print": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _mohammed(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    # The notes on the offices: administrators (Perm.MANAGE_NETWORK), each of their own
    # organisation only.
    "rules:notes": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, "admin": 200, "ruppin.admin": 200}),
    "rules:note_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "admin": 200},
        kwargs=lambda demo: {"organisation": demo.partners["A"].pk, "step": "abh"},
    ),
    # Every member holds Perm.VIEW_NETWORK.
    "rules:overview": Expect(default=200, statuses={ANON: LOGIN_REDIRECT, **dict.fromkeys(MEMBERS, 200)}),
}
