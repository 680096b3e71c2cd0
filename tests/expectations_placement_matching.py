"""Persona × URL expectations for the matching pages (merged into tests/access_expectations.py).

Matching needs VIEW_PLACEMENT (case manager, placement officer, team lead) and the case or
opportunity in the user's scope. The opportunity is partner A's and not shared.
"""

from __future__ import annotations

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Opportunity, OpportunityStatus
from tests import placement_matching_data as data
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case, _mohammed

READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}


def _opportunity(demo: DemoNetwork) -> Opportunity:
    """Partner A's first open opportunity (one is made if the demo has none)."""
    partner = demo.partners["A"]
    found = (
        Opportunity.objects.filter(
            organisation=partner, status=OpportunityStatus.OPEN, shared_with_network=False
        )
        .order_by("pk")
        .first()
    )
    return found or data.opportunity(partner, "29302", title="Koch (m/w/d) Matching")


EXPECTATIONS: dict[str, Expect] = {
    "placement:case_matches": Expect(
        default=404,
        statuses=READERS,
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "placement:opportunity_matches": Expect(
        default=404,
        statuses=READERS,
        kwargs=lambda demo: {"pk": _opportunity(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
}
