"""The reception-centre obligation when it is not known (§ 47 AsylG durations).

A counsellor often does not know whether a person must still live in a reception centre.
The law limits the obligation, so once its longest possible duration has ended on the
reference date, "not known" can be read as "no" with a ground citing § 47; until then the
engine shows both answers (an alternative). The durations are data (reception.toml).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bruecke.rules import bans
from bruecke.rules.datamodel import ReceptionObligation, RuleData
from bruecke.rules.periods import period_end
from bruecke.rules.types import AsylumOutcome, Facts


@dataclass(frozen=True)
class Reading:
    """`ended`: the longest possible obligation is over on the reference date.
    `ends_on`: its last day (None: no limit known); `norms` of the conclusion."""

    ended: bool
    begins_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    months: int = 0
    norms: tuple[str, ...] = ()
    flags: tuple[str, ...] = field(default=())


OPEN = Reading(ended=False)


def start(facts: Facts) -> datetime.date | None:
    """The obligation begins with the asylum application (a later Gestattung date only
    makes the end later, never too early)."""
    if facts.asylum_applied_on is not None:
        return facts.asylum_applied_on
    return facts.status_since if facts.status == "gestattung" else None


def _whole_procedure(data: RuleData, facts: Facts, rule: ReceptionObligation, on: datetime.date) -> bool:
    if not rule.safe_country_norm or facts.asylum_outcome == AsylumOutcome.GRANTED:
        return False
    if not bans.safe_lists_naming(data, facts.nationality, rule.safe_lists, on):
        return False
    return not (rule.families_excepted and facts.with_minor_children)


def read(data: RuleData, facts: Facts, on: datetime.date) -> Reading:
    """The reading of an unknown obligation on `on`. The answer to the rule's extension
    flag decides whether a Land extension counts (unanswered: the longer duration counts)."""
    rule = data.reception_obligation(on)
    begin = start(facts)
    if rule is None or begin is None or _whole_procedure(data, facts, rule, on):
        return OPEN
    months = rule.family_months if rule.family_months and facts.with_minor_children else rule.months
    norms: tuple[str, ...] = (rule.norm,)
    flags: tuple[str, ...] = ()
    if rule.extension_months and period_end(begin, months) < on:
        # Past the usual limit: only a Land extension (a judgement) keeps it running.
        norms += (data.flags[rule.extension_flag].norm,)
        flags = (rule.extension_flag,)
        if facts.judgements.get(rule.extension_flag) is not False:
            months = max(months, rule.extension_months)
    ends_on = period_end(begin, months)
    return Reading(
        ended=ends_on < on, begins_on=begin, ends_on=ends_on, months=months, norms=norms, flags=flags
    )
