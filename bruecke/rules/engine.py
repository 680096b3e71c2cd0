"""Work-permission decision support: `assess(facts, activity, on)` → `Answer`.

Pure Python (no database): the rules are the versioned data in bruecke/rules/data/,
read through `ruledata.rule_data()`. The engine knows the *kinds* of rules (waiting
periods, bans, decision types, BA exemptions); the data say which apply when. Every
conclusion carries the norm version in force on the reference date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any, cast

from bruecke.rules import bans, fiktion, priority, reception
from bruecke.rules.datamodel import Regime, RuleData, Wait
from bruecke.rules.periods import period_end
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import (
    TRI_STATE_FACTS,
    Activity,
    Alternative,
    Answer,
    Authority,
    DecisionType,
    Facts,
    Flag,
    Ground,
    NotCovered,
    Outcome,
    PriorityCheck,
    WaitingPeriod,
)

FOUR_YEARS = 48  # months of permitted stay after which no job needs BA approval
# Periods shown with the answer that do not block the activity (they end an obligation).
NON_BLOCKING = frozenset({"four_years", "priority_free", "reception_obligation"})
MAX_STEPS = 40
FOUR_NORM = "§ 32 Abs. 2 Nr. 5 BeschV"  # any job BA-free after four years of stay
PRIORITY_NORM = "§ 32 Abs. 5 BeschV a.F."  # no priority check after months of stay (until 2019)
# Conditions of the BA's approval, cited wherever the answer needs it.
BA_CONDITIONS = ("§ 39 Abs. 3 Nr. 1 AufenthG", "§ 40 Abs. 1 Nr. 1 AufenthG", "§ 36 Abs. 2 BeschV")
BA_CONDITIONS_OLD = ("§ 39 Abs. 2 AufenthG a.F.", "§ 40 Abs. 1 Nr. 1 AufenthG", "§ 36 Abs. 2 BeschV")
CONDITIONS_NOTE_NORM = "§ 4a Abs. 2 S. 3 AufenthG"
PERMISSION_DECISIONS = frozenset({DecisionType.ENTITLEMENT, DecisionType.REGULAR, DecisionType.DISCRETION})
__all__ = ["ContradictoryAnswer", "assess", "duldung_since", "period_end"]


class ContradictoryAnswer(RuntimeError):
    """The rule data led to an answer that contradicts itself (e.g. "allowed by law" with
    a deciding authority). Raised instead of showing it; the data must be corrected."""


class _Recorder:
    """The facts as the evaluation sees them: records which yes / no facts it reads, so
    that alternatives are computed only for unknown facts the answer can depend on."""

    def __init__(self, facts: Facts, read: set[str]) -> None:
        self._facts, self._read = facts, read

    def __getattr__(self, name: str) -> Any:
        if name in TRI_STATE_FACTS:
            self._read.add(name)
        return getattr(self._facts, name)


def duldung_since(facts: Facts) -> datetime.date:
    """Start of the uninterrupted Duldung that leads into the current one (§ 60b time does not count)."""
    since = facts.status_since
    earlier = sorted(
        (p for p in facts.history if p.status in bans.DULDUNG_STATUSES and p.start < since),
        key=lambda p: p.start,
        reverse=True,
    )
    for period in earlier:
        if period.end is not None and period.end < since - datetime.timedelta(days=1):
            break
        since = period.start
    return since


@dataclass
class _Draft:
    outcome: Outcome = Outcome.NEEDS_PERMISSION
    decision: DecisionType = DecisionType.BY_LAW
    authority: Authority = Authority.NONE
    ba: bool = False
    waits: list[WaitingPeriod] = field(default_factory=list)
    flag_codes: list[str] = field(default_factory=list)
    grounds: list[Ground] = field(default_factory=list)
    priority: PriorityCheck = PriorityCheck.NOT_APPLICABLE
    shown: list[WaitingPeriod] = field(default_factory=list)  # periods no flow step clears


class _Evaluation:
    def __init__(
        self, data: RuleData, facts: Facts, activity: Activity, on: datetime.date, read: set[str]
    ) -> None:
        self.data, self.on, self.read = data, on, read
        self.facts = cast(Facts, _Recorder(facts, read))
        self.raw = facts
        self.asked = activity
        self.activity = self._reclassified(activity)
        self.rule = data.activity(self.activity, on)
        self.draft = _Draft()
        self.eae = False

    def triggered(self, code: str) -> bool:
        answer = self.facts.judgements.get(code)
        return answer is not None and answer == self.data.flags[code].trigger

    def _reclassified(self, activity: Activity) -> Activity:
        """A counsellor's answer may say the activity is really another one (an internship
        that is a job): the rules of that activity then apply, and the flag stays visible."""
        for _ in range(3):
            for code in self.data.activity(activity, self.on).flags:
                effect = self.data.flags[code].effect
                if effect.startswith("as:") and self.triggered(code):
                    activity = Activity(effect[3:])
                    break
            else:
                return activity
        return activity

    def ground(self, topic: str, code: str, norms: tuple[str, ...] | list[str], detail: str = "") -> None:
        citations = tuple(self.data.cite(n, self.on) for n in dict.fromkeys(norms))
        self.draft.grounds.append(Ground(topic=topic, code=code, citations=citations, detail=detail))

    def flag(self, *codes: str) -> None:
        for code in codes:
            if code not in self.draft.flag_codes and self._relevant(code):
                self.draft.flag_codes.append(code)

    def _relevant(self, code: str) -> bool:
        """Flags that only matter for some facts (asked only then)."""
        if self.data.flags[code].relevant == "safe_country":
            return bool(
                bans.safe_lists_naming(
                    self.data, self.facts.nationality, tuple(self.data.safe_lists), self.on
                )
            )
        return True

    # --- the flow -------------------------------------------------------------------

    def run(self) -> Answer:
        self.eae = self._eae()
        regime = self.data.regime_for(self.facts.status, self.eae, self.on)
        if regime is None:
            raise NotCovered(f"no rule for status {self.facts.status!r} on {self.on.isoformat()}")
        self.flag(*self.data.activity(self.asked, self.on).flags)
        if self.activity != self.asked:
            self.flag(*self.rule.flags)
        if self.rule.kind == "not_employment":
            self._not_employment(regime)
        elif regime.kind == "by_law":
            self._by_law(regime)
        elif regime.kind == "title_bound":
            self._title_bound(regime)
        elif regime.kind == "banned":
            self.flag(*regime.flags)
            self._banned(regime.norms)
        else:
            self._permission(regime)
        for code, norms in regime.notes:
            self.ground("note", code, norms)
        self._conditions_note()
        return self._answer()

    def _eae(self) -> bool:
        """The reception-centre obligation; unknown is read as "no", with a § 47 ground
        once its longest possible duration has ended (then it is settled, no alternative)."""
        if not self.data.eae_matters(self.raw.status, self.on):
            return False
        known = self.facts.reception_centre
        if known is not None:
            return known
        reading = reception.read(self.data, self.facts, self.on)
        self.flag(*reading.flags)
        if reading.begins_on is not None:
            self.draft.shown.append(
                self._period("reception_obligation", reading.begins_on, reading.months, reading.norms[0])
            )
        if reading.ended:
            self.read.discard("reception_centre")
            detail = reading.ends_on.strftime("%d.%m.%Y") if reading.ends_on else ""
            self.ground("note", "reception_obligation_ended", reading.norms, detail)
        return False

    def _conditions_note(self) -> None:
        """Without BA approval the authority checks the working conditions itself."""
        if self.draft.outcome not in (Outcome.NEEDS_PERMISSION, Outcome.NOT_YET) or self.draft.ba:
            return
        if self.rule.kind == "not_employment":
            return
        try:
            self.data.cite(CONDITIONS_NOTE_NORM, self.on)
        except NotCovered:
            return  # before 1 Mar 2020 the research names no norm for it
        self.ground("note", "abh_checks_conditions", [CONDITIONS_NOTE_NORM])

    def _free(self, code: str, norms: tuple[str, ...]) -> None:
        """Allowed without any permission: one ground per conclusion, all on `norms`."""
        self.draft.outcome = Outcome.ALLOWED
        self.ground("outcome", code, norms)
        self.ground("decision", "decision_by_law", norms)
        self.ground("authority", "authority_none", norms)
        self.ground("ba", "ba_none", norms)

    def _not_employment(self, regime: Regime) -> None:
        self._free("not_employment", self.rule.norms)
        if regime.kind == "banned" or self._ban_results(regime):
            self.flag("ban_not_employment")

    def _by_law(self, regime: Regime) -> None:
        self._free("title_by_law", regime.norms)
        self.flag(*regime.flags)

    def _title_bound(self, regime: Regime) -> None:
        self.flag(*regime.flags)
        if self.activity in regime.purposes and not self.triggered("purpose_of_title"):
            self._free("title_purpose", regime.norms)
            self.flag("purpose_of_title")
            return
        self.draft.decision = DecisionType(regime.decision)
        self.draft.authority = Authority(regime.authority)
        self.draft.ba = self.rule.ba
        self.ground("outcome", "title_other_purpose", regime.norms)
        self.ground("decision", f"decision_{self.draft.decision}", regime.norms)
        self.ground("authority", f"authority_{self.draft.authority}", regime.norms)
        self._ba_ground(regime)

    def _banned(self, norms: tuple[str, ...] | list[str], code: str = "status_ban") -> None:
        self.draft.outcome = Outcome.BANNED
        self.draft.decision = DecisionType.BAN
        self.draft.authority = Authority.NONE
        self.draft.ba = False
        self.draft.waits.clear()
        self.ground("outcome", code, norms)

    def _ban_results(self, regime: Regime) -> list[Ground]:
        found: list[Ground] = []
        for ban in regime.bans:
            result = bans.check(self.data, self.facts, ban, self.on)
            self.flag(*result.notes)
            self.draft.grounds.extend(result.exceptions)
            if result.grounds:
                self.flag(*result.flags)
                if not any(self.triggered(code) for code in result.flags):
                    found.extend(result.grounds)
        return found

    def _permission(self, regime: Regime) -> None:
        self.flag(*regime.flags)
        if self.rule.kind == "self_employment" and not regime.title:
            self._banned([*regime.self_employment_norms, *regime.norms], code="no_self_employment")
            return
        found = self._ban_results(regime)
        if found:
            self._banned([])
            self.draft.grounds = [g for g in self.draft.grounds if g.code != "status_ban"] + found
            return
        for code in self.draft.flag_codes:
            if self.data.flags[code].effect == "ban" and self.triggered(code):
                self._banned([self.data.flags[code].norm], code="judged_ban")
                return
        self.draft.authority = Authority(regime.authority)
        self.draft.decision = self._decision(regime)
        self.ground("decision", f"decision_{self.draft.decision}", regime.norms)
        self.ground("authority", f"authority_{self.draft.authority}", regime.norms)
        self.draft.ba = self._needs_ba(regime)
        if self.draft.ba:
            self.flag(*regime.ba_flags)
        self._ba_ground(regime)
        self._priority(regime)
        self._waits(regime)
        blocking = [w for w in self.draft.waits if w.ends_on >= self.on and w.code not in NON_BLOCKING]
        self.draft.outcome = Outcome.NOT_YET if blocking else Outcome.NEEDS_PERMISSION
        self.ground("outcome", "waiting" if blocking else "permission_needed", regime.norms)
        self._special()

    def _decision(self, regime: Regime) -> DecisionType:
        decision = DecisionType(regime.decision)
        for condition, override in regime.decision_when:
            if self._condition(condition):
                decision = DecisionType(override)
        downgrade = any(
            self.data.flags[c].effect == "discretion" and self.triggered(c) for c in self.draft.flag_codes
        )
        return DecisionType.DISCRETION if downgrade else decision

    def _condition(self, name: str) -> bool:
        if name == "training":
            return self.rule.training
        if name == "reception_centre":
            return self.eae  # as read (an unknown obligation may be settled by § 47 AsylG)
        if name == "permitted_during_procedure" and self.facts.training_started_during_procedure:
            return True  # the training was begun with a permission during the procedure
        return bool(getattr(self.facts, name))

    def _stay_since(self) -> datetime.date:
        return self.facts.stay_since or self.facts.asylum_applied_on or self.facts.status_since

    def _needs_ba(self, regime: Regime) -> bool:
        if not self.rule.ba or regime.ba_free:
            return False
        if regime.four_year_rule:
            self.draft.waits.append(self._period("four_years", self._stay_since(), FOUR_YEARS, FOUR_NORM))
            return period_end(self._stay_since(), FOUR_YEARS) >= self.on
        return True

    def _priority(self, regime: Regime) -> None:
        """Whether the BA also makes a priority check (only on jobs it has to approve)."""
        rule = regime.priority_check
        if rule is None or not self.draft.ba:
            return
        stay_over = False
        if rule.free_after_months and not rule.abolished:
            wait = self._period("priority_free", self._stay_since(), rule.free_after_months, PRIORITY_NORM)
            self.draft.waits.append(wait)
            stay_over = wait.ends_on < self.on
        result = priority.check(rule, self.data.districts, self.facts.workplace_district, stay_over)
        self.flag(*result.flags)
        if result.state == PriorityCheck.REQUIRED and any(self.triggered(c) for c in result.flags):
            result = priority.EXCEPTION_RESULT
        self.draft.priority = result.state
        self.ground("priority", result.code, result.norms, result.detail)

    def _ba_ground(self, regime: Regime) -> None:
        if self.draft.ba:
            self.ground("ba", "ba_required", [*self.rule.norms, *self._ba_conditions()])
        elif regime.ba_free:
            self.ground("ba", "ba_free_status", regime.ba_norms)
        elif self.rule.ba:
            self.ground("ba", "ba_four_years", [FOUR_NORM])
        else:
            self.ground("ba", "ba_exempt_activity", self.rule.norms)

    def _ba_conditions(self) -> tuple[str, ...]:
        """What the BA checks when it approves: working conditions (§ 39(3) Nr. 1 since the
        FEG, § 39(2) old version before), no illegal placement, and approval deemed given."""
        current = self.data.norms[BA_CONDITIONS[0]][0].since <= self.on
        return BA_CONDITIONS if current else BA_CONDITIONS_OLD

    def _start(self, wait: Wait) -> datetime.date:
        facts = self.facts
        if wait.start == "duldung_since":
            return duldung_since(facts)
        if wait.start == "asylum_registered_on" and facts.asylum_registered_on is None:
            self.flag("registration_date_missing")
            return facts.asylum_applied_on or facts.status_since
        if wait.start == "stay_since":
            return self._stay_since()
        value: datetime.date | None = getattr(facts, wait.start)
        return value or facts.status_since

    def _period(self, code: str, start: datetime.date, months: int, norm: str) -> WaitingPeriod:
        return WaitingPeriod(
            code=code,
            start=start,
            months=months,
            ends_on=period_end(start, months),
            citation=self.data.cite(norm, self.on),
        )

    def _waits(self, regime: Regime) -> None:
        for wait in regime.waits:
            if wait.ba_required_only and not self.draft.ba:
                continue
            if wait.when and not any(self._condition(c) for c in wait.when):
                continue
            if any(self._condition(c) for c in wait.unless):
                continue
            self.draft.waits.append(self._period(wait.code, self._start(wait), wait.months, wait.norm))

    def _special(self) -> None:
        for special in self.data.specials:
            if special.status != self.facts.status or special.activity != self.activity:
                continue
            if not special.covers(self.on) or not all(self._condition(c) for c in special.when):
                continue
            self.flag(*special.flags)
            if special.outcome:
                self.draft.outcome = Outcome(special.outcome)
                self.draft.waits = [w for w in self.draft.waits if w.code in NON_BLOCKING]
                self.draft.grounds = [g for g in self.draft.grounds if g.topic != "outcome"]
                self.ground("outcome", special.ground or f"special_{special.status}", special.norms)
            else:
                self.ground("note", special.ground or f"special_{special.status}", special.norms)
            if special.decision:
                self.draft.decision = DecisionType(special.decision)
            if special.authority:
                self.draft.authority = Authority(special.authority)

    def _answer(self) -> Answer:
        flags = tuple(
            Flag(
                code=code,
                citation=self.data.cite(self.data.flags[code].norm, self.on),
                answer=self.facts.judgements.get(code),
            )
            for code in self.draft.flag_codes
            # A question about BA exemptions beside "no BA approval" would contradict the answer.
            if self.draft.ba or self.data.flags[code].relevant != "ba_required"
        )
        banned = self.draft.outcome == Outcome.BANNED
        return _consistent(
            Answer(
                activity=self.asked,
                on=self.on,
                outcome=self.draft.outcome,
                decision=DecisionType.BAN if banned else self.draft.decision,
                authority=self.draft.authority,
                ba_approval=self.draft.ba,
                earliest=None,
                waiting_periods=tuple(self.draft.waits + self.draft.shown),
                flags=flags,
                grounds=tuple(self.draft.grounds),
                data_as_of=self.data.data_as_of,
                priority_check=PriorityCheck.NOT_APPLICABLE if banned else self.draft.priority,
            )
        )


def _consistent(answer: Answer) -> Answer:
    """The one check every answer passes: "allowed" means by law, without authority or BA;
    a ban has no authority; an answer that needs a permission names who decides and how."""
    outcome, decision, authority = answer.outcome, answer.decision, answer.authority
    if outcome == Outcome.ALLOWED:
        ok = decision == DecisionType.BY_LAW and authority == Authority.NONE and not answer.ba_approval
    elif outcome == Outcome.BANNED:
        ok = decision == DecisionType.BAN and authority == Authority.NONE and not answer.ba_approval
    else:
        ok = decision in PERMISSION_DECISIONS and authority != Authority.NONE
    if not ok:
        raise ContradictoryAnswer(f"{outcome} with decision {decision} and authority {authority}")
    return answer


def _evaluate(facts: Facts, activity: Activity, on: datetime.date, read: set[str] | None = None) -> Answer:
    data = rule_data()
    if on < data.coverage_start:
        raise NotCovered(f"the rule data begin on {data.coverage_start.isoformat()}")
    seen = set() if read is None else read
    return fiktion.answer(facts, activity, on, lambda f: _Evaluation(data, f, activity, on, seen).run())


def _earliest(
    facts: Facts, activity: Activity, answer: Answer, read: set[str] | None = None
) -> datetime.date | None:
    """First day on which no waiting period blocks, following later law changes too."""
    changes = rule_data().change_dates
    day, current = answer.on, answer
    for _ in range(MAX_STEPS):
        if current.outcome != Outcome.NOT_YET:
            return day if current.outcome != Outcome.BANNED else None
        blocking = [w for w in current.waiting_periods if w.ends_on >= day and w.code not in NON_BLOCKING]
        candidate = max(w.over_on for w in blocking)
        following = [d for d in changes if day < d < candidate]
        day = following[0] if following else candidate
        current = _evaluate(facts, activity, day, read)
    return None


def _assess_one(facts: Facts, activity: Activity, on: datetime.date, read: set[str]) -> Answer:
    answer = _evaluate(facts, activity, on, read)
    if answer.outcome == Outcome.NOT_YET:
        answer = replace(answer, earliest=_earliest(facts, activity, answer, read))
    return answer


def _key(answer: Answer) -> tuple[object, ...]:
    """What makes two answers different for the counsellor."""
    return (answer.outcome, answer.decision, answer.authority, answer.ba_approval, answer.earliest)


def assess(facts: Facts, activity: Activity, on: datetime.date) -> Answer:
    """May a person with `facts` take up `activity` on `on`? Raises NotCovered if the
    rule data cannot answer (date before coverage, status without rule on that day).

    Unknown yes / no facts are read as "no"; each one the evaluation read that would
    change the answer is returned as an alternative (one fact at a time, not nested)."""
    read: set[str] = set()
    answer = _assess_one(facts, activity, on, read)
    alternatives = []
    for name in TRI_STATE_FACTS:
        if name not in read or getattr(facts, name) is not None:
            continue
        values: dict[str, Any] = {name: True}
        if_yes = _assess_one(replace(facts, **values), activity, on, set())
        if _key(if_yes) != _key(answer):
            alternatives.append(Alternative(fact=name, if_yes=if_yes, if_no=answer))
    return replace(answer, alternatives=tuple(alternatives)) if alternatives else answer
