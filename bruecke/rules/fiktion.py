"""Fiktionsbescheinigung and the visa-free short stay: the parts the rule data cannot say.

- A Fiktionsbescheinigung that certifies the continuation of a title (§ 81 Abs. 4 S. 1
  AufenthG) is answered as for that title, taken from the residence history; the answer
  names the title it continued. A Duldung or Gestattung is no title and cannot continue.
- Two judgement answers turn a "no" into "allowed": the activity of a future training or
  work title (§ 81 Abs. 5a) and a short activity that does not count as employment during
  a visa-free stay (§ 30 BeschV, § 17 Abs. 2 AufenthV).

The engine calls `answer()` once per evaluation (its only hook into this module).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import replace

from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import (
    Activity,
    Answer,
    Authority,
    Citation,
    DecisionType,
    Facts,
    Flag,
    Ground,
    Outcome,
    PriorityCheck,
    StatusPeriod,
)

CONTINUATION = "fiktion_continuation"
STAY = "fiktion_stay"
VISA_FREE = "visa_free"
# Statuses that are no residence title: a Fiktion under § 81 Abs. 4 cannot continue them.
NOT_TITLES = frozenset(
    {"gestattung", "duldung_60a", "duldung_60b", "duldung_60c", "duldung_60d", STAY, "fiktion_24", VISA_FREE}
)
# Documents that are no status of their own here (a further Fiktionsbescheinigung, "other").
SKIPPED = frozenset({CONTINUATION, "other"})
CONTINUATION_NORM = "§ 81 Abs. 4 S. 1 AufenthG"

Run = Callable[[Facts], Answer]


def answer(facts: Facts, activity: Activity, on: datetime.date, run: Run) -> Answer:
    """The engine's answer for `facts`, with the Fiktion and visa-free rules applied."""
    if facts.status == CONTINUATION:
        return _continuation(facts, activity, on, run)
    result = run(facts)
    if facts.status == STAY and _yes(facts, "fiktion_future_title") and result.outcome != Outcome.BANNED:
        return _allowed(result, "fiktion_future_title", "§ 81 Abs. 5a AufenthG")
    if facts.status == VISA_FREE:
        # § 30 BeschV speaks of employment only: self-employment stays excluded.
        short_job = activity != Activity.SELF_EMPLOYMENT and _yes(facts, "visa_free_30_beschv")
        if short_job and result.outcome == Outcome.BANNED:
            return _allowed(result, "visa_free_not_employment", "§ 30 BeschV")
        return _with_ground(
            result, Ground("note", "visa_free_apply", (_cite("§ 81 Abs. 3 S. 1 AufenthG", on),))
        )
    return result


def previous_status(facts: Facts) -> StatusPeriod | None:
    """The newest earlier document the Fiktionsbescheinigung can refer to."""
    earlier = [p for p in facts.history if p.start <= facts.status_since and p.status not in SKIPPED]
    return max(earlier, key=lambda p: p.start, default=None)


def _continuation(facts: Facts, activity: Activity, on: datetime.date, run: Run) -> Answer:
    previous = previous_status(facts)
    if previous is None:
        return _unknown_previous(facts, activity, on)
    continued = replace(
        facts,
        status=previous.status,
        status_since=previous.start,
        history=tuple(p for p in facts.history if p != previous),
    )
    code = "fiktion_not_title" if previous.status in NOT_TITLES else "fiktion_continued"
    ground = Ground("note", code, (_cite(CONTINUATION_NORM, on),), detail=previous.status)
    return _with_ground(run(continued), ground)


def _unknown_previous(facts: Facts, activity: Activity, on: datetime.date) -> Answer:
    """No earlier title recorded: the answer cannot follow it, so it asks which one it was
    and points to the authority (which states the employment rules on the document)."""
    data = rule_data()
    citation = _cite(CONTINUATION_NORM, on)
    norms = (citation,)
    grounds = (
        Ground("outcome", "fiktion_previous_unknown", norms),
        Ground("decision", "decision_previous_title", norms),
        Ground("authority", "authority_abh", norms),
        Ground("ba", "ba_previous_title", norms),
    )
    question = Flag(
        code="fiktion_previous_title",
        citation=_cite(data.flags["fiktion_previous_title"].norm, on),
        answer=facts.judgements.get("fiktion_previous_title"),
    )
    return Answer(
        activity=activity,
        on=on,
        outcome=Outcome.NEEDS_PERMISSION,
        decision=DecisionType.DISCRETION,
        authority=Authority.ABH,
        ba_approval=False,
        earliest=None,
        waiting_periods=(),
        flags=(question,),
        grounds=grounds,
        data_as_of=data.data_as_of,
    )


def _allowed(result: Answer, code: str, norm: str) -> Answer:
    """A judgement answer makes the activity allowed: every conclusion says so."""
    norms = (_cite(norm, result.on),)
    grounds = (
        Ground("outcome", code, norms),
        Ground("decision", "decision_by_law", norms),
        Ground("authority", "authority_none", norms),
        Ground("ba", "ba_none", norms),
        *(g for g in result.grounds if g.topic == "note"),
    )
    return replace(
        result,
        outcome=Outcome.ALLOWED,
        decision=DecisionType.BY_LAW,
        authority=Authority.NONE,
        ba_approval=False,
        earliest=None,
        waiting_periods=(),
        grounds=grounds,
        priority_check=PriorityCheck.NOT_APPLICABLE,
    )


def _with_ground(result: Answer, ground: Ground) -> Answer:
    return replace(result, grounds=(*result.grounds, ground))


def _yes(facts: Facts, code: str) -> bool:
    return facts.judgements.get(code) is True


def _cite(norm: str, on: datetime.date) -> Citation:
    return rule_data().cite(norm, on)
