"""Persona × URL expectations for the privacy app (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.privacy.demo import seed_breach
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


# The breach register: only the data-protection officer of partner A (the demo breach is
# partner A's).
_DPO_ONLY = {ANON: LOGIN_REDIRECT, "dpo": 200}

EXPECTATIONS: dict[str, Expect] = {
    "privacy:access_report": _report(is_page=True),
    "privacy:access_report_pdf": _report(is_page=False),
    "privacy:access_report_json": _report(is_page=False),
    # Starts the PDF as a background job and goes back to the report: who may download it.
    "privacy:access_report_pdf_job": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": _mohammed(demo).pk},
        method="post",
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "privacy:breach_list": Expect(default=404, statuses=_DPO_ONLY),
    "privacy:breach_create": Expect(default=404, statuses=_DPO_ONLY),
    "privacy:breach_edit": Expect(
        default=404,
        statuses=_DPO_ONLY,
        kwargs=lambda demo: {"pk": seed_breach(demo).pk},
        secret=lambda demo: seed_breach(demo).title,
    ),
}
