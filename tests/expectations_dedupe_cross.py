"""Persona × URL expectations of the cross-partner notice (merged into
tests/access_expectations.py)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from bruecke.dedupe.models import CrossPartnerMatch
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect


def _side_a(demo: DemoNetwork) -> dict[str, Any]:
    """The demo person's registration at partner A and its match with partner B's."""
    participant = Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")
    match = CrossPartnerMatch.objects.get(Q(first=participant) | Q(second=participant))
    return {"participant": participant.pk, "match": match.pk}


# Whoever may edit the registration (Perm.EDIT_PARTICIPANTS on it) decides; the answer is
# a redirect back to the participant page. Everyone else: 404.
_EDITORS = {ANON: LOGIN_REDIRECT, "cm_a": 302, "team_lead": 302}

EXPECTATIONS: dict[str, Expect] = {
    "dedupe:cross_confirm": Expect(
        default=404, statuses=_EDITORS, kwargs=_side_a, method="post", is_page=False
    ),
    "dedupe:cross_dismiss": Expect(
        default=404, statuses=_EDITORS, kwargs=_side_a, method="post", is_page=False
    ),
}
