"""Persona × URL expectations for the privacy app (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _report(*, is_page: bool) -> Expect:
    # Made by the controller: staff who may edit the participant at partner A, team
    # Rostock. Placement officers only read; partner B would see a shared participant
    # but is not the controller; data-protection officers hold no personal-data scope.
    return Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": _mohammed(demo).pk},
        is_page=is_page,
        secret=lambda demo: _mohammed(demo).family_name,
    )


EXPECTATIONS: dict[str, Expect] = {
    "privacy:access_report": _report(is_page=True),
    "privacy:access_report_pdf": _report(is_page=False),
    "privacy:access_report_json": _report(is_page=False),
}
