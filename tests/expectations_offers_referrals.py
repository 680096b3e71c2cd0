"""Persona × URL expectations for the offers app: referrals (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import Expect
from tests.expectations_offers_base import OFFER_READERS

EXPECTATIONS: dict[str, Expect] = {
    # Placeholder until the area's pages exist.
    "offers:referral_list": Expect(default=404, statuses=OFFER_READERS),
}
