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
from django.db.models.expressions import Combinable
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


def _annotate(
    queryset: QuerySet[Opportunity], facts: s.Facts, permission: Combinable, excluded: Combinable
) -> QuerySet[Opportunity]:
    parts = sql.offer_score(facts)
    helpers = {k: v for k, v in parts.items() if k.startswith("_")}
    points = {k: v for k, v in parts.items() if not k.startswith("_")}
    return (
        queryset.annotate(**sql.prefix_annotations(), **helpers)
        .annotate(**points, pts_permission=permission, excluded=excluded)
        .annotate(score=sql.total(*sql.PART_FIELDS, "pts_permission"))
    )


def _prefix_range(prefix: str, column: str) -> Q:
    """`column` starts with the digits `prefix` (a range, so a b-tree index serves it)."""
    condition = Q(**{f"{column}__gte": prefix})
    if prefix != "9" * len(prefix):
        condition &= Q(**{f"{column}__lt": str(int(prefix) + 1).zfill(len(prefix))})
    return condition


def _best_without_occupation(facts: s.Facts | None, offer: s.Offer | None, permission_max: int) -> int:
    """The highest score a candidate can reach whose code shares no Berufsgruppe."""
    located = (facts is None or facts.latitude is not None) and (offer is None or offer.latitude is not None)
    distance = s.DISTANCE_NEAR if located else s.DISTANCE_UNKNOWN
    return s.LEVEL_MEETS + s.GERMAN_MEETS + distance + s.HOURS_FIT + s.SHIFTS_FIT + permission_max


def opportunities_for_case(
    user: User, case: Case, *, limit: int = LIMIT, today: datetime.date | None = None, buffer: int = BUFFER
) -> Ranking:
    today = today or timezone.localdate()
    facts = s.Facts.of(match_profile(case))
    participant = (
        type(case.participant).objects.prefetch_related("residence_statuses").get(pk=case.participant_id)
    )
    assessor = Assessor(participant, today)
    factor = s.lon_factor(facts.latitude) if facts.latitude is not None else None
    permission, flag, permission_max, any_excluded, all_excluded = assessor.sql()
    candidates = open_opportunities(user, today)
    prefixes = sorted({code[:3] for code in (*facts.experience, *facts.wishes)})
    bound = _best_without_occupation(facts, None, permission_max)

    def top(excluded: int, count: int) -> list[Opportunity]:
        # First among the opportunities of the participant's occupational groups (an index
        # range); that is the answer when its last row beats anything outside those groups.
        def ranked(queryset: QuerySet[Opportunity]) -> list[Opportunity]:
            annotated = _annotate(queryset, facts, permission, flag).select_related(
                "employer", "site", "occupation"
            )
            if any_excluded:
                annotated = annotated.filter(Q(excluded=excluded))
            return list(annotated.order_by("-score", "pk")[:count])

        if prefixes:
            near = Q(pk__in=[])
            for prefix in prefixes:
                near |= _prefix_range(prefix, "occupation_id")
            rows = ranked(candidates.filter(near))
            if len(rows) == count and rows[-1].score > bound:  # type: ignore[attr-defined]
                return rows
        return ranked(candidates)

    shown: list[Match] = []
    excluded: list[Match] = []
    allowed = [] if all_excluded else top(0, limit + buffer)
    for opportunity in [*allowed, *(top(1, limit) if any_excluded else [])]:
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


def _may_be_passed(last_shown: Match, last_fetched: MatchProfile) -> bool:
    """Whether a candidate not fetched yet could still rank above `last_shown`."""
    best = last_fetched.score + PERMISSION_MAX  # type: ignore[attr-defined]
    if best != last_shown.score:
        return best > last_shown.score
    return last_shown.obj.pk > last_fetched.pk  # type: ignore[attr-defined]


def participants_for_opportunity(
    user: User, opportunity: Opportunity, *, limit: int = LIMIT, today: datetime.date | None = None
) -> Ranking:
    today = today or timezone.localdate()
    offer = s.Offer.of(opportunity)
    scope = profiles_visible_to(user)
    if offer.code:
        # First the participants with experience or a wish in the opportunity's group.
        near = Q(pk__in=[])
        for column in ("experience_1", "experience_2", "experience_3", "wish_1", "wish_2", "wish_3"):
            near |= _prefix_range(offer.code[:3], column)
        ranking = _rank_participants(scope.filter(near), opportunity, offer, limit, today)
        bound = _best_without_occupation(None, offer, PERMISSION_MAX)
        if len(ranking.matches) == limit and ranking.matches[-1].score > bound:
            return ranking
    return _rank_participants(scope, opportunity, offer, limit, today)


def _rank_participants(
    queryset: QuerySet[MatchProfile],
    opportunity: Opportunity,
    offer: s.Offer,
    limit: int,
    today: datetime.date,
) -> Ranking:
    parts = sql.profile_score(offer)
    helpers = {k: v for k, v in parts.items() if k.startswith("_")}
    points = {k: v for k, v in parts.items() if not k.startswith("_")}
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
        # Anyone not fetched yet scores at most the last one's points plus the permission,
        # and on equal points comes after the last one fetched (the query's order).
        shown.sort(key=_key)
        if len(shown) >= limit and not _may_be_passed(shown[limit - 1], rows[-1]):
            break
    return _finish(shown, excluded, limit)
