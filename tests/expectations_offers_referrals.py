"""Persona × URL expectations for the offers app: referrals (merged into tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.offers.demo.referrals import PARTNER_MEASURE
from bruecke.offers.models import Referral
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_offers_base import CASE_READERS_A, OFFER_READERS

# Referrals from partner A's demo case: read by its team, recorded by its case manager, team
# lead and the placement officer assigned to the case.
CASE_RECORDERS_A = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}
# Staff who record case work answer referrals to their organisation.
INCOMING_READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}


def _case_referral(demo: DemoNetwork) -> Referral:
    """The demo's open, overdue referral of Mohammed Al-Hassan."""
    return Referral.objects.filter(
        case__participant__family_name="Al-Hassan", organisation=demo.partners["A"], status="referred"
    ).earliest("pk")


def _partner_referral(demo: DemoNetwork) -> Referral:
    return Referral.objects.get(to_organisation=demo.partners["B"], measure__title=PARTNER_MEASURE)


def _case_pk(demo: DemoNetwork) -> dict[str, int]:
    return {"pk": _case_referral(demo).case_id}


EXPECTATIONS: dict[str, Expect] = {
    "offers:referral_list": Expect(default=404, statuses=OFFER_READERS),
    "offers:referral_create": Expect(default=404, statuses=CASE_RECORDERS_A, kwargs=_case_pk),
    "offers:referral_detail": Expect(
        default=404,
        statuses=CASE_READERS_A,
        kwargs=lambda demo: {"pk": _case_referral(demo).pk},
        secret=lambda demo: "Al-Hassan",
    ),
    "offers:referral_step": Expect(
        default=404,
        # An empty form is refused with 400 for those who record on the case, 404 for the rest.
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 400, "po_a": 400, "team_lead": 400},
        kwargs=lambda demo: {"pk": _case_referral(demo).pk},
        method="post",
        secret=lambda demo: "Al-Hassan",
    ),
    "offers:referral_incoming": Expect(default=404, statuses=INCOMING_READERS),
    "offers:referral_incoming_detail": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_b": 200},
        kwargs=lambda demo: {"pk": _partner_referral(demo).pk},
        secret=lambda demo: "Schewtschenko",
    ),
}
