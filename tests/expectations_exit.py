"""Persona × URL expectations for the exit part (merged into tests/access_expectations.py).

Closing uses Mohammed Al-Hassan's open demo case; the correction and follow-up pages use
Abdulrahman Hussein's closed demo case (partner A, team Rostock). Editors of the case close
and answer; everyone else gets 404.
"""

from __future__ import annotations

from bruecke.cases.models import Case, CaseStatus
from bruecke.esf.exit_models import FollowUp
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

EDITORS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200}


def open_case(demo: DemoNetwork) -> Case:
    return Case.objects.get(
        participant__organisation=demo.partners["A"],
        participant__family_name="Al-Hassan",
        status=CaseStatus.ACTIVE,
    )


def closed_case(demo: DemoNetwork) -> Case:
    return Case.objects.filter(
        participant__organisation=demo.partners["A"],
        participant__family_name="Hussein",
        status=CaseStatus.CLOSED,
    ).earliest("id")


def _follow_up(demo: DemoNetwork) -> FollowUp:
    return FollowUp.objects.filter(exit_record__case=closed_case(demo)).earliest("id")


def _secret(demo: DemoNetwork) -> str:
    return "Hussein"


EXPECTATIONS: dict[str, Expect] = {
    "cases:close": Expect(
        default=404,
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": open_case(demo).pk},
        secret=lambda demo: "Al-Hassan",
    ),
    "cases:exit_edit": Expect(
        default=404, statuses=EDITORS, kwargs=lambda demo: {"pk": closed_case(demo).pk}, secret=_secret
    ),
    "cases:follow_up_create": Expect(
        default=404, statuses=EDITORS, kwargs=lambda demo: {"pk": closed_case(demo).pk}, secret=_secret
    ),
    "cases:follow_up_edit": Expect(
        default=404,
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": closed_case(demo).pk, "follow_up_pk": _follow_up(demo).pk},
        secret=_secret,
    ),
}
