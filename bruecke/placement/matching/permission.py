"""Work-permission compatibility: the rules engine's answer as points or an exclusion.

For one participant the answer depends only on the activity and the day, so the ranking
of opportunities asks the engine for each activity at the few days where the answer can
change (documents issued or ending, law changes, waiting periods ending) and turns the
result into an SQL CASE on (kind, kind of internship, start date). The short list is then
checked with the exact answer for each opportunity (`exact`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.expressions import Combinable
from django.utils.translation import gettext as _

from bruecke.participants.models import Participant, ResidenceStatus
from bruecke.placement.matching.scoring import Part
from bruecke.placement.models import InternshipKind, OpportunityKind
from bruecke.placement.models.opportunities import ACTIVITY, INTERNSHIP_ACTIVITY
from bruecke.rules import texts
from bruecke.rules.facts import assess_participant, facts_for
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, Answer, NotCovered, Outcome

UNKNOWN = "unknown"
POINTS = {
    (Outcome.ALLOWED, False): 20,
    (Outcome.ALLOWED, True): 20,
    (Outcome.NEEDS_PERMISSION, False): 14,
    (Outcome.NEEDS_PERMISSION, True): 10,
    (Outcome.NOT_YET, False): 0,
    (Outcome.NOT_YET, True): 0,
    (Outcome.BANNED, False): 0,
    (Outcome.BANNED, True): 0,
    (UNKNOWN, False): 10,
}
MAX_POINTS = 20
MAX_EVALUATIONS = 12  # per activity


@dataclass(frozen=True)
class Verdict:
    outcome: str
    ba_approval: bool = False
    earliest: datetime.date | None = None
    answer: Answer | None = None

    @property
    def excluded(self) -> bool:
        return self.outcome == Outcome.BANNED

    @property
    def points(self) -> int:
        return POINTS[(self.outcome, self.ba_approval if self.outcome != UNKNOWN else False)]

    @property
    def key(self) -> tuple[str, bool]:
        return (self.outcome, self.ba_approval)

    def label(self) -> str:
        if self.outcome == UNKNOWN:
            return _("Work permission unknown")
        if self.outcome == Outcome.ALLOWED:
            return _("Allowed")
        if self.outcome == Outcome.NEEDS_PERMISSION:
            if self.ba_approval:
                return _("Needs permission of the Ausländerbehörde with BA approval")
            return _("Needs permission of the Ausländerbehörde")
        if self.outcome == Outcome.NOT_YET:
            if self.earliest:
                return _("Not yet (from %(date)s)") % {"date": self.earliest.strftime("%d.%m.%Y")}
            return _("Not yet")
        return _("Banned")

    def badge(self) -> str:
        levels: dict[str, str] = {
            Outcome.ALLOWED: "success",
            Outcome.NEEDS_PERMISSION: "info",
            Outcome.NOT_YET: "warning",
            Outcome.BANNED: "danger",
        }
        return levels.get(self.outcome, "info")

    def grounds(self) -> list[str]:
        """The reasons with their norms (for an exclusion and the explanation)."""
        if self.answer is None:
            return []
        rows = []
        for ground in self.answer.grounds:
            norms = ", ".join(c.norm for c in ground.citations)
            detail = texts.ground_detail(ground)
            text = str(texts.ground_text(ground)) + (f" ({detail})" if detail else "")
            rows.append(f"{text} – {norms}" if norms else text)
        return rows

    def part(self) -> Part:
        if self.outcome == UNKNOWN:
            text = _("No residence document recorded: neutral, please check.")
        else:
            text = self.label() + "."
        return Part("permission", _("Work permission"), self.points, MAX_POINTS, text)


def verdict_of(answer: Answer | None) -> Verdict:
    if answer is None:
        return Verdict(UNKNOWN)
    return Verdict(answer.outcome, bool(answer.ba_approval), answer.earliest, answer)


def activities() -> list[Activity]:
    return sorted({*ACTIVITY.values(), *INTERNSHIP_ACTIVITY.values()})


def kinds_q(activity: Activity) -> Q:
    """The opportunities (a Q) whose activity is `activity`."""
    condition = Q(pk__in=[])
    kinds = [k for k, a in ACTIVITY.items() if a == activity]
    if kinds:
        condition |= Q(kind__in=sorted(kinds))
    internships = [k for k, a in INTERNSHIP_ACTIVITY.items() if a == activity]
    if internships:
        if activity == INTERNSHIP_ACTIVITY[InternshipKind.OTHER]:
            internships.append("")
        condition |= Q(kind=OpportunityKind.INTERNSHIP, internship_kind__in=sorted(internships))
    return condition


def effective_day(start: datetime.date, today: datetime.date) -> datetime.date:
    """An opportunity that has started already is asked for today."""
    return max(start, today)


class Assessor:
    """The engine's answers for one participant, cached per (activity, day)."""

    def __init__(self, participant: Participant, today: datetime.date) -> None:
        self.participant = participant
        self.today = today
        self.statuses: list[ResidenceStatus] = list(participant.residence_statuses.all())
        self._cache: dict[tuple[Activity, datetime.date], Verdict] = {}

    @property
    def has_documents(self) -> bool:
        return bool(self.statuses)

    def exact(self, activity: Activity, start: datetime.date) -> Verdict:
        day = effective_day(start, self.today)
        key = (activity, day)
        if key not in self._cache:
            facts = facts_for(self.participant, day, self.statuses)
            try:
                answer = assess_participant(self.participant, activity, day, facts) if facts else None
            except NotCovered:
                answer = None
            self._cache[key] = verdict_of(answer)
        return self._cache[key]

    def _breakpoints(self) -> set[datetime.date]:
        days = {self.today}
        for s in self.statuses:
            days.add(s.issued_on)
            if s.valid_until:
                days.add(s.valid_until + datetime.timedelta(days=1))
        data = rule_data()
        days.update(data.change_dates)
        days.update(data.work_permission_days())
        return {d for d in days if d >= self.today}

    def segments(self, activity: Activity) -> list[tuple[datetime.date, Verdict]]:
        """(from day, verdict) for days ≥ today, each valid until the next one's day."""
        if not self.has_documents:
            return [(self.today, Verdict(UNKNOWN))]
        days = sorted(self._breakpoints())
        seen: set[datetime.date] = set()
        points: dict[datetime.date, Verdict] = {}
        evaluations = 0
        while days and evaluations < MAX_EVALUATIONS:
            day = days.pop(0)
            if day in seen:
                continue
            seen.add(day)
            verdict = self.exact(activity, day)
            evaluations += 1
            points[day] = verdict
            extra = []
            if verdict.earliest and verdict.earliest > day:
                extra.append(verdict.earliest)
            if verdict.answer is not None:
                extra.extend(w.over_on for w in verdict.answer.waiting_periods if w.over_on > day)
            for d in extra:
                if d not in seen and d not in days:
                    days.append(d)
            days.sort()
        merged: list[tuple[datetime.date, Verdict]] = []
        for day in sorted(points):
            if not merged or merged[-1][1].key != points[day].key:
                merged.append((day, points[day]))
        return merged

    def sql(self) -> tuple[Combinable, Combinable, int, bool, bool]:
        """(points, excluded, the highest points of an allowed one, whether anything is
        excluded, whether everything is): SQL expressions on the opportunity's kind and
        start date, one WHEN per value."""
        by_points: dict[int, Q] = {}
        excluded = Q(pk__in=[])
        any_excluded = False
        all_excluded = True
        allowed_max = 0
        for activity in activities():
            segments = self.segments(activity)
            kinds = kinds_q(activity)
            for i, (day, verdict) in enumerate(segments):
                condition = kinds
                if i > 0:
                    condition &= Q(start_date__gte=day)
                if i + 1 < len(segments):
                    condition &= Q(start_date__lt=segments[i + 1][0])
                by_points[verdict.points] = by_points.get(verdict.points, Q(pk__in=[])) | condition
                if verdict.excluded:
                    excluded |= condition
                    any_excluded = True
                else:
                    all_excluded = False
                    allowed_max = max(allowed_max, verdict.points)
        if len(by_points) == 1:
            (only,) = by_points
            points: Combinable = Value(only, output_field=IntegerField())
        else:
            most = max(by_points, key=lambda p: len(str(by_points[p])))
            whens = [When(q, then=Value(p)) for p, q in sorted(by_points.items()) if p != most]
            points = Case(*whens, default=Value(most), output_field=IntegerField())
        flag: Combinable = (
            Case(When(excluded, then=Value(1)), default=Value(0), output_field=IntegerField())
            if any_excluded
            else Value(0, output_field=IntegerField())
        )
        return points, flag, allowed_max, any_excluded, all_excluded
