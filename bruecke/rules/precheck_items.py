"""How each kind of pre-check item is evaluated (the kinds are listed in data/prechecks.toml).

Every evaluator returns (state, detail, met_on); `met_on` is set for duration
requirements: the first day on which the requirement is (or will be) met.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from bruecke.rules.engine import assess, duldung_since, period_end
from bruecke.rules.precheck_types import PersonFacts, State
from bruecke.rules.types import Activity, Facts, NotCovered, Outcome

CEFR = ["none", "A1", "A2", "B1", "B2", "C1", "C2"]
DULDUNG = frozenset({"duldung_60a", "duldung_60c", "duldung_60d"})  # § 60b time does not count
DAY = datetime.timedelta(days=1)

Evaluation = tuple[State, str, datetime.date | None]
Spec = dict[str, Any]


def _yes(condition: bool | None, detail: str = "") -> Evaluation:
    if condition is None:
        return State.UNKNOWN, detail, None
    return (State.MET if condition else State.MISSING), detail, None


def _from(start: datetime.date, months: int, on: datetime.date) -> Evaluation:
    """A duration of `months` from `start`: met from the day after the period ends."""
    met_on = period_end(start, months) + DAY
    return (State.MET if met_on <= on else State.MISSING), start.isoformat(), met_on


def _age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _birthday(born: datetime.date, years: int) -> datetime.date:
    try:
        return born.replace(year=born.year + years)
    except ValueError:  # born on 29 Feb: the birthday falls on 1 Mar (§ 188(3) BGB)
        return datetime.date(born.year + years, 3, 1)


def training_in_procedure(facts: Facts) -> bool | None:
    """Training began during the asylum procedure (§ 60c Abs. 1 S. 1 Nr. 1)."""
    return facts.training_started_during_procedure


def _training_route(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    """Nr. 2: a Duldung now; Nr. 1: training begun during the procedure (the Duldung
    follows the rejection, so a Gestattung holder's pre-check looks ahead to it)."""
    if facts.status in DULDUNG:
        return State.MET, "duldung", None
    if facts.status == "gestattung":
        started = training_in_procedure(facts)
        return _yes(started, "procedure" if started else "")
    return State.MISSING, "", None


def _duldung_months(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    if spec.get("not_for_training_in_procedure") and training_in_procedure(facts):
        return State.NOT_APPLICABLE, "", None
    if facts.status in spec.get("or_statuses", ()):
        return State.MET, facts.status, None
    if facts.status not in DULDUNG:
        # Never met by a Gestattung; whether this route applies at all is still open.
        if facts.status == "gestattung" and spec.get("not_for_training_in_procedure"):
            return (State.UNKNOWN if training_in_procedure(facts) is None else State.MISSING), "", None
        return State.MISSING, "", None
    return _from(duldung_since(facts), spec["months"], on)


def _stay_months(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    months = spec["months_with_child"] if person.minor_child else spec["months"]
    return _from(facts.stay_since, months, on) if facts.stay_since else (State.UNKNOWN, "", None)


def _stay_on(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    """A stay of `months` reached on a fixed day (§ 104c: 31 Oct 2022); later waiting does not help."""
    if facts.stay_since is None:
        return State.UNKNOWN, "", None
    state, _detail, met_on = _from(facts.stay_since, spec["months"], spec["date"])
    return (state, spec["date"].isoformat(), met_on if state == State.MET else None)


def _entry_by(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    arrival = person.arrival_date
    return _yes(None if arrival is None else arrival <= spec["date"], spec["date"].isoformat())


def _age_between(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    born = person.birth_date
    if born is None:
        return State.UNKNOWN, "", None
    age, reached = _age(born, on), _birthday(born, spec["min"])
    if age >= spec["below"]:
        return State.MISSING, str(age), None
    return (State.MET if age >= spec["min"] else State.MISSING), str(age), reached


def _german_level(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    if person.german_level not in CEFR:
        return State.UNKNOWN, "", None
    return _yes(CEFR.index(person.german_level) >= CEFR.index(spec["level"]), person.german_level)


def _employed_months(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    since = person.employed_since
    return _from(since, spec["months"], on) if since else (State.UNKNOWN, "", None)


def _weekly_hours(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    needed = spec["hours_single_parent"] if person.single_parent else spec["hours"]
    hours = person.weekly_hours
    return _yes(None if hours is None else hours >= needed, str(needed))


def _no_ban(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    try:
        answer = assess(facts, Activity(spec["activity"]), on)
    except NotCovered:
        return State.UNKNOWN, "", None
    return _yes(answer.outcome != Outcome.BANNED)


def _passport(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    return (State.MET if facts.identity_by_passport else State.JUDGEMENT), "", None


def _person_fact(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    """A fact the counsellor enters: yes, no or not known."""
    if spec.get("not_for_training_in_procedure") and training_in_procedure(facts):
        return State.NOT_APPLICABLE, "", None
    return _yes(getattr(person, spec["fact"]))


def identity_deadline(spec: Spec, arrival: datetime.date, on: datetime.date) -> datetime.date | None:
    """The day by which the identity had to be clarified; `on` stands for the application."""
    for rule in spec["deadlines"]:
        if "entry_until" in rule and arrival > rule["entry_until"]:
            continue
        if "months_after_entry" in rule:
            return period_end(arrival, rule["months_after_entry"])
        return min(on, rule["latest"]) if "latest" in rule else on
    return None


def _identity(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    """Clarified by the deadline: met. Not clarified, or late: whether every reasonable
    step was taken is the authority's judgement (then discretion), not a plain "no"."""
    if person.arrival_date is None or person.identity_clarified is None:
        return State.UNKNOWN, "", None
    deadline = identity_deadline(spec, person.arrival_date, on)
    if deadline is None:
        return State.JUDGEMENT, "", None
    detail = deadline.isoformat()
    if not person.identity_clarified:
        return State.JUDGEMENT, detail, None
    if person.identity_clarified_on is None:
        return State.UNKNOWN, detail, None
    if person.identity_clarified_on <= deadline:
        return State.MET, detail, None
    return State.JUDGEMENT, detail, None


def _open_until(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    """New grants only until a day (§ 104c: 31 Dec 2025)."""
    return (State.MET if on <= spec["date"] else State.MISSING), spec["date"].isoformat(), None


def _judgement(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    return State.JUDGEMENT, "", None


def _status_in(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    return _yes(facts.status in spec["statuses"])


EVALUATORS: dict[str, Callable[[Spec, Facts, PersonFacts, datetime.date], Evaluation]] = {
    "status_in": _status_in,
    "training_route": _training_route,
    "duldung_months": _duldung_months,
    "stay_months": _stay_months,
    "stay_on": _stay_on,
    "entry_by": _entry_by,
    "age_between": _age_between,
    "german_level": _german_level,
    "employed_months": _employed_months,
    "weekly_hours": _weekly_hours,
    "no_ban": _no_ban,
    "passport": _passport,
    "person_fact": _person_fact,
    "identity_deadline": _identity,
    "open_until": _open_until,
    "judgement": _judgement,
}


def evaluate(spec: Spec, facts: Facts, person: PersonFacts, on: datetime.date) -> Evaluation:
    return EVALUATORS[spec["kind"]](spec, facts, person, on)
