"""Property tests of the engine (hypothesis): answers cite only norm versions in force on
the reference date, moving the date within a period without a change (no law change,
no waiting period ending) never changes the answer, and no answer contradicts itself
("allowed by law" never names a deciding authority, and vice versa)."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bruecke.rules.engine import assess
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import Activity, Answer, AsylumOutcome, Facts, NotCovered, StatusPeriod

DATA = rule_data()
STATUSES = sorted(set().union(*(r.statuses for r in DATA.regimes)) | {"fiktion_continuation"})
NATIONALITIES = ["SY", "AF", "AL", "GE", "MD", "MA", "TR", "XK", "UA", "GH", "RS", "BA"]
FLAG_CODES = sorted(DATA.flags)
dates = st.dates(min_value=datetime.date(2010, 1, 1), max_value=datetime.date(2027, 12, 31))
ref_dates = st.dates(min_value=DATA.coverage_start, max_value=datetime.date(2027, 12, 31))
# Half of the reference dates fall in the historic span (6 Nov 2014 – 29 Feb 2020).
historic_dates = st.dates(min_value=DATA.coverage_start, max_value=datetime.date(2020, 2, 29))
ref_dates = historic_dates | ref_dates

tri_state = st.none() | st.booleans()  # None: not known

facts_strategy = st.builds(
    Facts,
    status=st.sampled_from(STATUSES),
    status_since=dates,
    nationality=st.sampled_from(NATIONALITIES),
    stay_since=st.none() | dates,
    asylum_applied_on=st.none() | dates,
    asylum_registered_on=st.none() | dates,
    asylum_outcome=st.sampled_from(list(AsylumOutcome)),
    reception_centre=tri_state,
    dublin_or_other_state_protection=tri_state,
    accelerated_procedure=tri_state,
    rejected_manifestly_unfounded=tri_state,
    permitted_during_procedure=tri_state,
    identity_by_passport=tri_state,
    protected_in_other_state=tri_state,
    withdrawn_after_legal_information=tri_state,
    unaccompanied_minor=tri_state,
    training_started_during_procedure=tri_state,
    with_minor_children=tri_state,
    judgements=st.dictionaries(st.sampled_from(FLAG_CODES), st.booleans(), max_size=4),
)


def _answer(facts: Facts, activity: Activity, on: datetime.date) -> Answer | None:
    try:
        return assess(facts, activity, on)
    except NotCovered:
        return None


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy, activity=st.sampled_from(list(Activity)), on=ref_dates)
def test_citations_are_in_force_on_the_reference_date(
    facts: Facts, activity: Activity, on: datetime.date
) -> None:
    answer = _answer(facts, activity, on)
    if answer is None:
        return
    assert answer.citations
    for citation in answer.citations:
        versions = DATA.norms[citation.norm]
        in_force = [v for v in versions if v.since <= on and (v.until is None or on <= v.until)]
        assert len(in_force) == 1
        assert in_force[0].since == citation.valid_from


def _comparable(answer: Answer) -> Answer:
    alternatives = tuple(
        replace(a, if_yes=_comparable(a.if_yes), if_no=_comparable(a.if_no)) for a in answer.alternatives
    )
    return replace(answer, on=datetime.date.min, alternatives=alternatives)


def _with_alternatives(answer: Answer) -> list[Answer]:
    return [answer, *(x for a in answer.alternatives for x in (a.if_yes, a.if_no))]


def _change_points(answers: list[Answer]) -> set[datetime.date]:
    """Days on which an answer may legitimately change: law changes and fact-driven dates
    (of the answer and of its alternatives)."""
    points = set(DATA.change_dates)
    for answer in answers:
        for shown in _with_alternatives(answer):
            points |= {w.over_on for w in shown.waiting_periods}
    return points


@settings(max_examples=400, deadline=None)
@given(
    facts=facts_strategy,
    activity=st.sampled_from(list(Activity)),
    first=ref_dates,
    gap=st.integers(min_value=1, max_value=400),
)
def test_answer_is_stable_between_change_points(
    facts: Facts, activity: Activity, first: datetime.date, gap: int
) -> None:
    second = first + datetime.timedelta(days=gap)
    # Fact dates (a status beginning, an application) are change points of their own.
    fact_days = {facts.status_since, facts.stay_since, facts.asylum_applied_on, facts.asylum_registered_on}
    a, b = _answer(facts, activity, first), _answer(facts, activity, second)
    if a is None or b is None:
        return
    points = _change_points([a, b]) | {d for d in fact_days if d}
    if any(first < point <= second for point in points):
        return
    assert _comparable(a) == _comparable(b)


def test_reference_dates_reach_back_to_the_coverage_start() -> None:
    assert DATA.coverage_start == datetime.date(2013, 7, 1)
    assert DATA.coverage_start in DATA.change_dates


@settings(max_examples=200, deadline=None)
@given(facts=facts_strategy, activity=st.sampled_from(list(Activity)), on=ref_dates)
def test_earliest_date_is_when_the_waiting_ends(facts: Facts, activity: Activity, on: datetime.date) -> None:
    answer = _answer(facts, activity, on)
    if answer is None or answer.earliest is None:
        return
    assert answer.outcome == "not_yet"
    assert answer.earliest > on
    later = assess(facts, activity, answer.earliest)
    assert later.outcome != "not_yet"
    before = assess(facts, activity, answer.earliest - datetime.timedelta(days=1))
    assert before.outcome == "not_yet"


def _not_contradictory(answer: Answer) -> None:
    allowed = answer.outcome == "allowed"
    by_law_without_authority = answer.decision == "by_law" and answer.authority == "none"
    assert allowed == by_law_without_authority, answer
    if allowed:
        assert not answer.ba_approval
    if answer.outcome == "banned":
        assert answer.decision == "ban" and answer.authority == "none" and not answer.ba_approval
    if answer.outcome in ("needs_permission", "not_yet"):
        assert answer.decision in ("entitlement", "regular", "discretion")
        assert answer.authority in ("abh", "central_abh")


training_facts = st.builds(
    Facts,
    status=st.sampled_from(["duldung_60a", "duldung_60c", "duldung_60d", "gestattung"]),
    status_since=dates,
    nationality=st.sampled_from(NATIONALITIES),
    stay_since=st.none() | dates,
    asylum_applied_on=st.none() | dates,
    asylum_outcome=st.sampled_from(list(AsylumOutcome)),
    reception_centre=tri_state,
    permitted_during_procedure=tri_state,
    identity_by_passport=tri_state,
    training_started_during_procedure=tri_state,
    with_minor_children=tri_state,
    history=st.lists(st.builds(StatusPeriod, status=st.sampled_from(STATUSES), start=dates), max_size=2).map(
        tuple
    ),
    judgements=st.dictionaries(st.sampled_from(FLAG_CODES), st.booleans(), max_size=3),
)


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy | training_facts, activity=st.sampled_from(list(Activity)), on=ref_dates)
def test_answers_never_contradict_themselves(facts: Facts, activity: Activity, on: datetime.date) -> None:
    """Allowed ⇔ by law without authority; a permission names its authority and decision
    type; the answers of the alternatives obey the same rule."""
    answer = _answer(facts, activity, on)
    if answer is None:
        return
    for shown in _with_alternatives(answer):
        _not_contradictory(shown)
    for alternative in answer.alternatives:
        assert getattr(facts, alternative.fact) is None
        assert not alternative.if_yes.alternatives and not alternative.if_no.alternatives


@settings(max_examples=200, deadline=None)
@given(facts=facts_strategy, activity=st.sampled_from(list(Activity)), on=ref_dates)
def test_an_alternative_is_the_answer_for_that_fact(
    facts: Facts, activity: Activity, on: datetime.date
) -> None:
    """The "yes" side of an alternative is the answer once the fact is entered as yes, and
    the primary answer reads the unknown fact as "no"."""
    answer = _answer(facts, activity, on)
    if answer is None:
        return
    for alternative in answer.alternatives:
        values: dict[str, Any] = {alternative.fact: True}
        known = assess(replace(facts, **values), activity, on)
        assert _comparable(replace(known, alternatives=())) == _comparable(alternative.if_yes)
        assert (
            alternative.if_yes.outcome,
            alternative.if_yes.decision,
            alternative.if_yes.authority,
            alternative.if_yes.ba_approval,
            alternative.if_yes.earliest,
        ) != (answer.outcome, answer.decision, answer.authority, answer.ba_approval, answer.earliest)
