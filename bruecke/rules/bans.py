"""The objective bans (deterministic triggers), kept apart from the engine's flow.

A ban check returns the grounds it found (empty: no ban) and the judgement flags that
decide exceptions the tool cannot know (e.g. § 104(16) AufenthG, the child's interest).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bruecke.rules.datamodel import Ban, RuleData
from bruecke.rules.types import AsylumOutcome, Citation, Facts, Ground

DULDUNG_STATUSES = frozenset({"duldung_60a", "duldung_60c", "duldung_60d"})


@dataclass
class BanResult:
    grounds: list[Ground] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # flags whose "yes" lifts the ban
    notes: list[str] = field(default_factory=list)  # information flags


def safe_lists_naming(data: RuleData, country: str, lists: tuple[str, ...], on: datetime.date) -> list[str]:
    return [name for name in lists if data.safe_lists[name].lists(country, on)]


def _grandfathered(data: RuleData, facts: Facts, ban: Ban, listed: list[str]) -> tuple[list[str], list[str]]:
    """The lists still banning after the grandfathering cut-offs, and the norms used."""
    applied = facts.asylum_applied_on
    used: list[str] = []
    remaining = list(listed)
    for rule in data.grandfathering:
        if facts.nationality not in rule.countries:
            continue
        exempt = bool(rule.applied_by and applied and applied <= rule.applied_by)
        if ban.code == "safe_country_duldung":
            if rule.tolerated_on and facts.held(DULDUNG_STATUSES, rule.tolerated_on):
                exempt = exempt or not (rule.tolerated_requires_no_application and applied)
            if rule.work_permission_on and rule.work_permission_on in facts.work_permission_on:
                exempt = True
        if exempt:
            covered = set(rule.lists) if rule.lists else set(remaining)
            remaining = [name for name in remaining if name not in covered]
            used.append(
                rule.asylum_norm if ban.code == "safe_country_asylum" and rule.asylum_norm else rule.norm
            )
    return remaining, used


def _cites(data: RuleData, norms: list[str], on: datetime.date) -> tuple[Citation, ...]:
    return tuple(data.cite(norm, on) for norm in dict.fromkeys(norms))


def safe_country(data: RuleData, facts: Facts, ban: Ban, on: datetime.date) -> BanResult:
    result = BanResult()
    listed = safe_lists_naming(data, facts.nationality, ban.lists, on)
    if ban.code == "safe_country_duldung" and data.safe_lists["eu"].lists(facts.nationality, on):
        result.notes.append("eu_list_uncertain")
    if not listed:
        return result
    applied = facts.asylum_applied_on
    if ban.code == "safe_country_asylum":
        if (applied or facts.status_since) <= data.applied_after:
            return result
    else:
        outcome = facts.asylum_outcome
        if outcome in (AsylumOutcome.PENDING, AsylumOutcome.GRANTED):
            return result
        if ban.outcomes and outcome not in ban.outcomes:
            return result  # e.g. before 2020 only rejected applications counted
        if outcome != AsylumOutcome.NONE and applied is not None and applied <= data.applied_after:
            return result
        if outcome == AsylumOutcome.WITHDRAWN and facts.withdrawn_after_legal_information:
            return result
        if ban.other_state_exception and facts.protected_in_other_state:
            return result
        if facts.unaccompanied_minor and outcome in (AsylumOutcome.WITHDRAWN, AsylumOutcome.NONE):
            result.flags.append("minor_child_interest")
        if outcome == AsylumOutcome.NONE:
            result.flags.append("old_version_104_16")
    remaining, used = _grandfathered(data, facts, ban, listed)
    if not remaining:
        return result
    norms = [ban.norm, *(data.safe_lists[name].norm for name in remaining), *used]
    result.grounds.append(
        Ground(topic="outcome", code=ban.code, citations=_cites(data, norms, on), detail=",".join(remaining))
    )
    return result


def check(data: RuleData, facts: Facts, ban: Ban, on: datetime.date) -> BanResult:
    if ban.code in ("safe_country_asylum", "safe_country_duldung"):
        return safe_country(data, facts, ban, on)
    triggered = {
        "manifestly_unfounded": facts.rejected_manifestly_unfounded,
        "accelerated_procedure": facts.accelerated_procedure,
    }[ban.code]
    result = BanResult()
    if triggered:
        result.grounds.append(Ground(topic="outcome", code=ban.code, citations=(data.cite(ban.norm, on),)))
    return result
