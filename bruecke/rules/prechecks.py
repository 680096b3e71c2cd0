"""Pre-checks for § 60c / § 16g, § 60d, § 25a and § 25b: per prerequisite met, missing,
unknown (a fact is not recorded) or judgement (the tool cannot know). Not a decision.

The thresholds are versioned data in data/prechecks.toml; this module only knows how to
evaluate each kind of item.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from bruecke.rules.engine import assess, duldung_since, period_end
from bruecke.rules.ruledata import RuleDataError, chain_versions, read_data, rule_data
from bruecke.rules.types import Activity, Citation, Facts, NotCovered, Outcome

CEFR = ["none", "A1", "A2", "B1", "B2", "C1", "C2"]
CHECKS = ("60c", "16g", "60d", "25a", "25b")
DULDUNG = frozenset({"duldung_60a", "duldung_60c", "duldung_60d"})


class State(StrEnum):
    MET = "met"
    MISSING = "missing"
    UNKNOWN = "unknown"
    JUDGEMENT = "judgement"


@dataclass(frozen=True)
class PersonFacts:
    """Facts about the person beyond the residence status (all optional)."""

    arrival_date: datetime.date | None = None
    birth_date: datetime.date | None = None
    german_level: str = ""
    employed_months: int | None = None
    weekly_hours: int | None = None
    single_parent: bool = False
    minor_child: bool = False


class Result(StrEnum):
    """The overall result of a pre-check."""

    ELIGIBLE = "eligible"  # every item met
    NOT_ELIGIBLE = "not_eligible"  # at least one item missing (and not to be met by waiting)
    OPEN = "open"  # no item missing, some unknown or judgement (see `open_items`)


@dataclass(frozen=True)
class Item:
    code: str
    state: State
    citation: Citation
    detail: str = ""
    # Duration requirements: the first day on which the requirement is met (also when
    # that day is still ahead: the item is then MISSING until that day).
    met_on: datetime.date | None = None


@dataclass(frozen=True)
class Precheck:
    key: str
    on: datetime.date
    items: tuple[Item, ...]
    citation: Citation
    result: Result = Result.OPEN
    decision: str = ""  # a DecisionType value: entitlement, regular (Soll), discretion
    consequence: str = ""  # code of the legal consequence text (texts.PRECHECK_CONSEQUENCES)
    consequence_detail: str = ""  # a small value for it (e.g. the end date of a term)
    notes: tuple[str, ...] = ()  # codes of notes (end of application, no extension, …)

    @property
    def open_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.state in (State.UNKNOWN, State.JUDGEMENT))

    def count(self, state: State) -> int:
        return sum(1 for item in self.items if item.state == state)


@cache
def _checks() -> tuple[tuple[dict[str, Any], datetime.date | None], ...]:
    raw = read_data("prechecks.toml")["check"]
    data = rule_data()
    for check in raw:
        for item in check["items"]:
            if item["norm"] not in data.norms:
                raise RuleDataError(f"precheck {check['key']}: unknown norm {item['norm']!r}")
    return tuple(chain_versions(raw, "key"))


def _yes(condition: bool | None) -> State:
    if condition is None:
        return State.UNKNOWN
    return State.MET if condition else State.MISSING


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _evaluate(
    item: dict[str, Any], facts: Facts, person: PersonFacts, on: datetime.date
) -> tuple[State, str]:
    kind = item["kind"]
    if kind == "status_in":
        return _yes(facts.status in item["statuses"]), ""
    if kind == "duldung_months":
        if facts.status not in DULDUNG:
            # § 60c Nr. 1 / § 16g: training begun during the asylum procedure needs no Duldung time.
            return (
                (State.MET, "")
                if facts.status == "gestattung" and item["months"] == 3
                else (State.MISSING, "")
            )
        since = duldung_since(facts)
        return _yes(period_end(since, item["months"]) < on), since.isoformat()
    if kind == "stay_months":
        stay = facts.stay_since
        months = item["months_with_child"] if person.minor_child else item["months"]
        return (_yes(period_end(stay, months) < on), stay.isoformat()) if stay else (State.UNKNOWN, "")
    if kind == "entry_by":
        arrival = person.arrival_date
        return _yes(None if arrival is None else arrival <= item["date"]), item["date"].isoformat()
    if kind == "age_between":
        if person.birth_date is None:
            return State.UNKNOWN, ""
        age = _age(person.birth_date, on)
        return _yes(item["min"] <= age < item["below"]), str(age)
    if kind == "german_level":
        if person.german_level not in CEFR:
            return State.UNKNOWN, ""
        return _yes(CEFR.index(person.german_level) >= CEFR.index(item["level"])), person.german_level
    if kind == "employed_months":
        months = person.employed_months
        return _yes(None if months is None else months >= item["months"]), str(item["months"])
    if kind == "weekly_hours":
        needed = item["hours_single_parent"] if person.single_parent else item["hours"]
        hours = person.weekly_hours
        return _yes(None if hours is None else hours >= needed), str(needed)
    if kind == "no_ban":
        try:
            answer = assess(facts, Activity(item["activity"]), on)
        except NotCovered:
            return State.UNKNOWN, ""
        return _yes(answer.outcome != Outcome.BANNED), ""
    if kind == "passport":
        return (State.MET if facts.identity_by_passport else State.JUDGEMENT), ""
    return State.JUDGEMENT, ""


def precheck(key: str, facts: Facts, person: PersonFacts, on: datetime.date) -> Precheck:
    """The pre-check `key` for the facts on `on`; NotCovered if no version is in force."""
    data = rule_data()
    for check, until in _checks():
        if check["key"] == key and check["since"] <= on and (until is None or on <= until):
            items = []
            for item in check["items"]:
                state, detail = _evaluate(item, facts, person, on)
                items.append(Item(item["code"], state, data.cite(item["norm"], on), detail))
            return Precheck(key=key, on=on, items=tuple(items), citation=data.cite(check["norm"], on))
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
