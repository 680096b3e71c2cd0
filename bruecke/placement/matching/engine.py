"""The two rankings: open opportunities for a participant, participants for an opportunity.

The database computes every part but the work permission for all candidates and returns
the best ones (one query with LIMIT). The work permission is added as described in
`permission`: for a participant as an SQL CASE (so an excluded opportunity never outranks
an allowed one), then checked exactly for the short list; for an opportunity exactly for
the short list, fetching more candidates until no one left behind could still get in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.cases.models import Case
from bruecke.core import access
from bruecke.participants.models import ResidenceStatus
from bruecke.placement.matching import scoring as s
from bruecke.placement.matching import sql
from bruecke.placement.matching.permission import MAX_POINTS as PERMISSION_MAX
from bruecke.placement.matching.permission import Assessor, Verdict
from bruecke.placement.models import MatchProfile, Opportunity, OpportunityStatus
from bruecke.placement.selectors.scope import opportunities_visible_to
from bruecke.placement.services.match_profiles import refresh_for_case

LIMIT = 20
BUFFER = 10  # extra rows fetched for the exact permission check of the short list
BATCH = 60  # participants fetched at a time for one opportunity
MAX_BATCHES = 20


@dataclass
class Match:
    obj: object  # an Opportunity or a MatchProfile (with .case and .participant)
    parts: list[s.Part]
    verdict: Verdict
    rank: int = 0

    @property
    def score(self) -> int:
        return sum(p.points for p in self.parts)


@dataclass
class Ranking:
    matches: list[Match] = field(default_factory=list)
    excluded: list[Match] = field(default_factory=list)


def open_opportunities(user: User, today: datetime.date) -> QuerySet[Opportunity]:
    """Open, not expired, with a free place, visible to `user`."""
    return (
        opportunities_visible_to(user)
        .filter(status=OpportunityStatus.OPEN, occupation__isnull=False, places_filled__lt=F("places"))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
    )


def match_profile(case: Case) -> MatchProfile:
    try:
        return MatchProfile.objects.get(case=case)
    except MatchProfile.DoesNotExist:
        return refresh_for_case(case)


def _annotate(queryset: QuerySet[Opportunity], facts: s.Facts, assessor: Assessor) -> QuerySet[Opportunity]:
    parts = sql.offer_score(facts)
    helpers = {k: v for k, v in parts.items() if k.startswith("_")}
    points = {k: v for k, v in parts.items() if not k.startswith("_")}
    permission, excluded = assessor.sql()
    return (
        queryset.annotate(**sql.prefix_annotations(), **helpers)
        .annotate(**points, pts_permission=permission, excluded=excluded)
        .annotate(score=sql.total(*sql.PART_FIELDS, "pts_permission"))
    )


def opportunities_for_case(
    user: User, case: Case, *, limit: int = LIMIT, today: datetime.date | None = None
) -> Ranking:
    today = today or timezone.localdate()
    facts = s.Facts.of(match_profile(case))
    participant = (
        type(case.participant).objects.prefetch_related("residence_statuses").get(pk=case.participant_id)
    )
    assessor = Assessor(participant, today)
    factor = s.lon_factor(facts.latitude) if facts.latitude is not None else None
    ranked = _annotate(open_opportunities(user, today), facts, assessor).select_related(
        "employer", "site", "occupation"
    )
    shown: list[Match] = []
    excluded: list[Match] = []
    for opportunity in ranked.filter(Q(excluded=0)).order_by("-score", "pk")[: limit + BUFFER]:
        verdict = assessor.exact(opportunity.activity, opportunity.start_date)
        match = Match(opportunity, _parts(facts, s.Offer.of(opportunity), factor, verdict), verdict)
        (excluded if verdict.excluded else shown).append(match)
    for opportunity in ranked.filter(Q(excluded=1)).order_by("-score", "pk")[:limit]:
        verdict = assessor.exact(opportunity.activity, opportunity.start_date)
        match = Match(opportunity, _parts(facts, s.Offer.of(opportunity), factor, verdict), verdict)
        (excluded if verdict.excluded else shown).append(match)
    return _finish(shown, excluded, limit)


def _parts(facts: s.Facts, offer: s.Offer, factor: float | None, verdict: Verdict) -> list[s.Part]:
    return [*s.explain(facts, offer, factor).parts, verdict.part()]


def _key(match: Match) -> tuple[int, int]:
    return (-match.score, match.obj.pk)  # type: ignore[attr-defined]


def _finish(shown: list[Match], excluded: list[Match], limit: int) -> Ranking:
    shown.sort(key=_key)
    excluded.sort(key=_key)
    shown = shown[:limit]
    for rank, match in enumerate(shown, start=1):
        match.rank = rank
    return Ranking(shown, excluded[:limit])


def profiles_visible_to(user: User) -> QuerySet[MatchProfile]:
    """Open cases' match profiles in `user`'s scope (the case rule: organisation, team)."""
    return MatchProfile.objects.filter(access.personal_data_filter(user, team_field="team"), is_open=True)


def participants_for_opportunity(
    user: User, opportunity: Opportunity, *, limit: int = LIMIT, today: datetime.date | None = None
) -> Ranking:
    today = today or timezone.localdate()
    offer = s.Offer.of(opportunity)
    parts = sql.profile_score(offer)
    helpers = {k: v for k, v in parts.items() if k.startswith("_")}
    points = {k: v for k, v in parts.items() if not k.startswith("_")}
    queryset = profiles_visible_to(user)
    if helpers:
        queryset = queryset.annotate(**{k: v for k, v in helpers.items() if k != "_r2"})
        if "_r2" in helpers:
            queryset = queryset.annotate(_r2=helpers["_r2"])
    ranked = (
        queryset.annotate(**points)
        .annotate(score=sql.total(*sql.PART_FIELDS))
        .order_by("-score", "pk")
        .select_related("participant", "case")
        .prefetch_related(Prefetch("participant__residence_statuses", queryset=ResidenceStatus.objects.all()))
    )
    factor = s.lon_factor(offer.latitude) if offer.latitude is not None else None
    shown: list[Match] = []
    excluded: list[Match] = []
    for batch in range(MAX_BATCHES):
        rows = list(ranked[batch * BATCH : (batch + 1) * BATCH])
        for profile in rows:
            verdict = Assessor(profile.participant, today).exact(opportunity.activity, opportunity.start_date)
            match = Match(profile, _parts(s.Facts.of(profile), offer, factor, verdict), verdict)
            (excluded if verdict.excluded else shown).append(match)
        if len(rows) < BATCH:
            break
        # Anyone not fetched yet scores at most the last one's points plus the permission.
        shown.sort(key=_key)
        bound = rows[-1].score + PERMISSION_MAX
        if len(shown) >= limit and shown[limit - 1].score > bound:
            break
    return _finish(shown, excluded, limit)
