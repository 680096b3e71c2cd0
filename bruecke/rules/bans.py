"""The objective bans (deterministic triggers), kept apart from the engine's flow.

A ban check returns the grounds it found (empty: no ban) and the judgement flags that
decide exceptions the tool cannot know (e.g. § 104(16) AufenthG, the child's interest).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bruecke.rules.datamodel import Ban, Grandfathering, RuleData
from bruecke.rules.types import AsylumOutcome, Citation, Facts, Ground

DULDUNG_STATUSES = frozenset({"duldung_60a", "duldung_60c", "duldung_60d"})
# § 104(16) AufenthG: work permitted before this day keeps the old § 60a(6).
OLD_VERSION_CUTOFF = datetime.date(2020, 1, 1)


# Exception grounds: every exception examined for a ban is cited, whether it applied or not.
# Codes of the ground; the detail names the exception and its cut-off day ("name@day").
APPLIED, NOT_MET, OPEN = "exception_applied", "exception_not_met", "exception_open"
OTHER_STATE_NORM = "§ 60a Abs. 6 S. 4 AufenthG"  # protection granted in another member state


@dataclass
class BanResult:
    grounds: list[Ground] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)  # flags whose "yes" lifts the ban
    notes: list[str] = field(default_factory=list)  # information flags
    exceptions: list[Ground] = field(default_factory=list)  # examined exceptions, met or not


def safe_lists_naming(data: RuleData, country: str, lists: tuple[str, ...], on: datetime.date) -> list[str]:
    return [name for name in lists if data.safe_lists[name].lists(country, on)]


def _exception(
    data: RuleData,
    on: datetime.date,
    name: str,
    met: bool | None,
    norm: str,
    day: datetime.date | None = None,
) -> Ground:
    """One examined exception; `met` None: it depends on the counsellor's answer."""
    code = OPEN if met is None else APPLIED if met else NOT_MET
    detail = f"{name}@{day.isoformat()}" if day else name
    return Ground(topic="exception", code=code, citations=(data.cite(norm, on),), detail=detail)


def _rule_examined(rule: Grandfathering, ban: Ban, listed: list[str]) -> bool:
    """A grandfathering rule is examined only for a ban it can lift."""
    if rule.lists and not set(rule.lists) & set(listed):
        return False
    return ban.code == "safe_country_duldung" or rule.applied_by is not None


def _grandfathered(
    data: RuleData, facts: Facts, ban: Ban, listed: list[str], on: datetime.date, result: BanResult
) -> tuple[list[str], list[str]]:
    """The lists still banning after the grandfathering cut-offs, and the norms used. Every
    condition examined becomes an exception ground."""
    applied = facts.asylum_applied_on
    used: list[str] = []
    remaining = list(listed)
    duldung = ban.code == "safe_country_duldung"
    for rule in data.grandfathering:
        if facts.nationality not in rule.countries or not _rule_examined(rule, ban, listed):
            continue
        norm = rule.asylum_norm if not duldung and rule.asylum_norm else rule.norm
        checks: list[tuple[str, bool, datetime.date]] = []
        if rule.applied_by:
            checks.append(("applied_by", bool(applied and applied <= rule.applied_by), rule.applied_by))
        if duldung and rule.tolerated_on:
            tolerated = facts.held(DULDUNG_STATUSES, rule.tolerated_on)
            if rule.tolerated_requires_no_application:
                checks.append(("tolerated_without_application", tolerated and not applied, rule.tolerated_on))
            else:
                checks.append(("tolerated_on", tolerated, rule.tolerated_on))
        if duldung and rule.work_permission_on:
            held = rule.work_permission_on in facts.work_permission_on
            checks.append(("work_permission_on", held, rule.work_permission_on))
        for name, met, day in checks:
            result.exceptions.append(_exception(data, on, f"grandfathered_{name}", met, norm, day))
        if any(met for _, met, _ in checks):
            covered = set(rule.lists) if rule.lists else set(remaining)
            remaining = [name for name in remaining if name not in covered]
            used.append(norm)
    return remaining, used


def _cites(data: RuleData, norms: list[str], on: datetime.date) -> tuple[Citation, ...]:
    return tuple(data.cite(norm, on) for norm in dict.fromkeys(norms))


def _judged(data: RuleData, facts: Facts, code: str) -> bool | None:
    """The counsellor's answer to a flag that lifts a ban: True lifts, None not answered."""
    answer = facts.judgements.get(code)
    return None if answer is None else answer == data.flags[code].trigger


def _duldung_exceptions(data: RuleData, facts: Facts, ban: Ban, on: datetime.date, result: BanResult) -> bool:
    """The exceptions of § 60a(6) examined before the grandfathering rules; True: one lifts the ban."""
    outcome = facts.asylum_outcome
    applied = facts.asylum_applied_on
    if outcome != AsylumOutcome.NONE and applied is not None:
        before = applied <= data.applied_after
        result.exceptions.append(_exception(data, on, "applied_before", before, ban.norm, data.applied_after))
        if before:
            return True
    if outcome == AsylumOutcome.WITHDRAWN:
        met = facts.withdrawn_after_legal_information
        result.exceptions.append(_exception(data, on, "withdrawn_after_legal_information", met, ban.norm))
        if met:
            return True
    if ban.other_state_exception:
        met = facts.protected_in_other_state
        result.exceptions.append(_exception(data, on, "other_state_protection", met, OTHER_STATE_NORM))
        if met:
            return True
    if facts.unaccompanied_minor and outcome in (AsylumOutcome.WITHDRAWN, AsylumOutcome.NONE):
        result.flags.append("minor_child_interest")
        met_flag = _judged(data, facts, "minor_child_interest")
        norm = data.flags["minor_child_interest"].norm
        result.exceptions.append(_exception(data, on, "minor_child_interest", met_flag, norm))
    if outcome == AsylumOutcome.NONE:
        result.flags.append("old_version_104_16")
        met_flag = _judged(data, facts, "old_version_104_16")
        norm = data.flags["old_version_104_16"].norm
        result.exceptions.append(_exception(data, on, "old_version", met_flag, norm, OLD_VERSION_CUTOFF))
    return False


def safe_country(data: RuleData, facts: Facts, ban: Ban, on: datetime.date) -> BanResult:
    result = BanResult()
    listed = safe_lists_naming(data, facts.nationality, ban.lists, on)
    if ban.code == "safe_country_duldung" and data.safe_lists["eu"].lists(facts.nationality, on):
        result.notes.append("eu_list_uncertain")
    if not listed:
        return result
    if ban.code == "safe_country_asylum":
        before = (facts.asylum_applied_on or facts.status_since) <= data.applied_after
        result.exceptions.append(_exception(data, on, "applied_before", before, ban.norm, data.applied_after))
        if before:
            return result
    else:
        outcome = facts.asylum_outcome
        if outcome in (AsylumOutcome.PENDING, AsylumOutcome.GRANTED):
            return result  # the ban is not considered: no exception examined
        if ban.outcomes and outcome not in ban.outcomes:
            return result  # e.g. before 2020 only rejected applications counted
        if _duldung_exceptions(data, facts, ban, on, result):
            return result
    remaining, used = _grandfathered(data, facts, ban, listed, on, result)
    if not remaining:
        # No ban left: the judgement questions are not asked, so their exceptions are not open.
        result.exceptions = [g for g in result.exceptions if g.code != OPEN]
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
