"""Persona × URL expectations for the duplicate review (merged into tests/access_expectations.py).

Team leads and data-protection officers of partner A review its duplicates
(Perm.REVIEW_DUPLICATES); everyone else gets 404, signed-out visitors the login page."""

from __future__ import annotations

from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.merge import participants_merge
from bruecke.dedupe.models import DuplicatePair, Merge
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

REVIEWERS = {"team_lead": 200, "dpo": 200}


def _pair(demo: DemoNetwork) -> DuplicatePair:
    """The demo pair Mohammed Al-Hassan / Mohamed Alhassan (made on first use)."""
    seed_duplicates(demo)
    second = Participant.objects.get(organisation=demo.partners["A"], family_name="Alhassan")
    return DuplicatePair.objects.get(second=second)


def _merge(demo: DemoNetwork) -> Merge:
    """A merge of the demo pair Olena Schewtschenko / Olena Shevchenko (made on first use)."""
    seed_duplicates(demo)
    merged = Participant.objects.get(organisation=demo.partners["A"], family_name="Shevchenko")
    found = Merge.objects.filter(merged=merged, undone_at__isnull=True).first()
    if found is not None:
        return found
    kept = Participant.objects.get(organisation=demo.partners["A"], family_name="Schewtschenko")
    return participants_merge(actor=demo.users["team_lead"], kept=kept, merged=merged)


def _reviewers(status: int) -> dict[str, int]:
    return {ANON: LOGIN_REDIRECT, "team_lead": status, "dpo": status}


EXPECTATIONS: dict[str, Expect] = {
    "dedupe:review": Expect(default=404, statuses=_reviewers(200)),
    "dedupe:merges": Expect(default=404, statuses=_reviewers(200)),
    "dedupe:pair": Expect(
        default=404,
        statuses=_reviewers(200),
        kwargs=lambda demo: {"pk": _pair(demo).pk},
        secret=lambda demo: _pair(demo).second.family_name,
    ),
    # POST only: starts the search (a job) and returns to the list.
    "dedupe:find_pairs": Expect(default=404, statuses=_reviewers(302), method="post", is_page=False),
    "dedupe:distinct": Expect(
        default=404,
        statuses=_reviewers(302),
        method="post",
        is_page=False,
        kwargs=lambda demo: {"pk": _pair(demo).pk},
    ),
    "dedupe:undo": Expect(
        default=404,
        statuses=_reviewers(302),
        method="post",
        is_page=False,
        kwargs=lambda demo: {"pk": _merge(demo).pk},
    ),
}
