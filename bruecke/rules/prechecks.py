"""Pre-checks for § 60c / § 16g, § 60d, § 25a, § 25b and § 104c: per prerequisite met,
missing, unknown (a fact is not recorded), judgement (the tool cannot know) or not
applicable; overall eligible / eligible from a date / not eligible / open, with the
decision type and the legal consequence the norm gives. A pre-check, not a decision.

The thresholds are versioned data in data/prechecks.toml; precheck_items knows how to
evaluate each kind of item.
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from bruecke.rules.engine import period_end
from bruecke.rules.precheck_items import CEFR, DULDUNG, evaluate
from bruecke.rules.precheck_types import Item, PersonFacts, Precheck, Result, State
from bruecke.rules.ruledata import RuleDataError, chain_versions, read_data, rule_data
from bruecke.rules.types import DecisionType, Facts, NotCovered

__all__ = [
    "CEFR",
    "CHECKS",
    "DULDUNG",
    "Item",
    "PersonFacts",
    "Precheck",
    "Result",
    "State",
    "precheck",
    "prechecks",
]

CHECKS = ("60c", "16g", "60d", "25a", "25b", "104c")


@cache
def _checks() -> tuple[tuple[dict[str, Any], datetime.date | None], ...]:
    raw = read_data("prechecks.toml")["check"]
    data = rule_data()
    for check in raw:
        if check["decision"] not in {d.value for d in DecisionType}:
            raise RuleDataError(f"precheck {check['key']}: unknown decision {check['decision']!r}")
        for item in [check, *check["items"]]:
            if item["norm"] not in data.norms:
                raise RuleDataError(f"precheck {check['key']}: unknown norm {item['norm']!r}")
    return tuple(chain_versions(raw, "key"))


def _result(items: list[Item], open_until: datetime.date | None) -> tuple[Result, datetime.date | None]:
    """Missing for good beats everything; then open items; then waiting."""
    missing = [i for i in items if i.state == State.MISSING]
    waiting = [i.met_on for i in missing if i.met_on is not None]
    eligible_from = max(waiting) if waiting and len(waiting) == len(missing) else None
    if len(waiting) < len(missing) or (eligible_from and open_until and eligible_from > open_until):
        return Result.NOT_ELIGIBLE, None  # waiting would end after the last day of new grants
    if any(i.state in (State.UNKNOWN, State.JUDGEMENT) for i in items):
        return Result.OPEN, eligible_from
    if eligible_from:
        return Result.ELIGIBLE_FROM, eligible_from
    return Result.ELIGIBLE, None


def _consequence_detail(check: dict[str, Any], result: Result, start: datetime.date) -> str:
    """The end of a fixed term, counted from the first day of eligibility."""
    if "term_months" not in check or result == Result.NOT_ELIGIBLE:
        return ""
    return period_end(start, check["term_months"]).isoformat()


def _build(key: str, check: dict[str, Any], facts: Facts, person: PersonFacts, on: datetime.date) -> Precheck:
    data = rule_data()
    items = []
    for spec in check["items"]:
        state, detail, met_on = evaluate(spec, facts, person, on)
        items.append(Item(spec["code"], state, data.cite(spec["norm"], on), detail, met_on))
    open_until = min((s["date"] for s in check["items"] if s["kind"] == "open_until"), default=None)
    result, eligible_from = _result(items, open_until)
    return Precheck(
        key=key,
        on=on,
        items=tuple(items),
        citation=data.cite(check["norm"], on),
        result=result,
        decision=check["decision"],
        consequence=check.get("consequence", ""),
        consequence_detail=_consequence_detail(check, result, eligible_from or on),
        notes=tuple(check.get("notes", ())),
        eligible_from=eligible_from,
    )


def precheck(key: str, facts: Facts, person: PersonFacts, on: datetime.date) -> Precheck:
    """The pre-check `key` for the facts on `on`; NotCovered if no version is in force."""
    for check, until in _checks():
        if check["key"] == key and check["since"] <= on and (until is None or on <= until):
            return _build(key, check, facts, person, on)
    raise NotCovered(f"no pre-check {key} on {on.isoformat()}")


def prechecks(facts: Facts, person: PersonFacts, on: datetime.date) -> list[Precheck]:
    """All pre-checks in force on `on`."""
    result = []
    for key in CHECKS:
        try:
            result.append(precheck(key, facts, person, on))
        except NotCovered:
            continue
    return result
