"""Pre-checks that decide: overall result, decision type, legal consequence with its end
date, and the date on which each duration requirement is met — table-driven, each
duration requirement on both sides of its date (from the statutes as summarised in
/work/shared/design/work-permission-law.md). Citations are written "norm@valid-from"."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass, field

import pytest

from bruecke.rules import texts
from bruecke.rules.precheck_items import identity_deadline
from bruecke.rules.prechecks import (
    CHECKS,
    Item,
    PersonFacts,
    Result,
    State,
    _checks,
    _result,
    precheck,
    prechecks,
)
from bruecke.rules.ruledata import rule_data
from bruecke.rules.types import AsylumOutcome, DecisionType, Facts, NotCovered
from tests.test_rules_engine import D

ELIGIBLE, FROM, NOT, OPEN = Result.ELIGIBLE, Result.ELIGIBLE_FROM, Result.NOT_ELIGIBLE, Result.OPEN
MET, MISSING, UNKNOWN, JUDGE, NA = (
    State.MET,
    State.MISSING,
    State.UNKNOWN,
    State.JUDGEMENT,
    State.NOT_APPLICABLE,
)


def duldung(**kw: object) -> Facts:
    base: dict[str, object] = {
        "status": "duldung_60a",
        "status_since": D(2023, 1, 1),
        "stay_since": D(2019, 1, 1),
        "asylum_applied_on": D(2019, 1, 1),
        "asylum_outcome": AsylumOutcome.REJECTED,
        "nationality": "AF",
        "training_started_during_procedure": False,
    }
    return Facts(**(base | kw))  # type: ignore[arg-type]


def gestattung(**kw: object) -> Facts:
    base: dict[str, object] = {
        "status": "gestattung",
        "status_since": D(2023, 1, 1),
        "stay_since": D(2023, 1, 1),
        "asylum_applied_on": D(2023, 1, 1),
        "asylum_outcome": AsylumOutcome.PENDING,
        "nationality": "AF",
    }
    return Facts(**(base | kw))  # type: ignore[arg-type]


# Every enterable fact answered "yes": a check becomes definite.
ALL_YES = PersonFacts(
    arrival_date=D(2019, 1, 1),
    birth_date=D(2000, 6, 1),
    german_level="A2",
    employed_since=D(2023, 1, 1),
    weekly_hours=25,
    identity_clarified=True,
    identity_clarified_on=D(2020, 1, 1),
    livelihood_secured=True,
    mainly_self_supporting=True,
    no_convictions=True,
    children_in_school=True,
    qualified_training=True,
    school_3_years=True,
    integration_prognosis=True,
    no_imminent_measures=True,
    constitution_commitment=True,
    no_identity_deception=True,
)
ARRIVED_2023 = dataclasses.replace(ALL_YES, arrival_date=D(2023, 1, 1), identity_clarified_on=D(2023, 3, 1))


def person(**kw: object) -> PersonFacts:
    return dataclasses.replace(ALL_YES, **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class PCase:
    id: str
    check: str
    facts: Facts
    person: PersonFacts
    on: datetime.date
    result: Result
    eligible_from: datetime.date | None = None
    states: dict[str, State] = field(default_factory=dict)
    met_on: dict[str, datetime.date | None] = field(default_factory=dict)
    decision: str = ""
    until: str = ""  # consequence_detail
    cite: str = ""  # the check's citation
    notes: tuple[str, ...] = ()


CASES = [
    # --- § 60d Beschäftigungsduldung (since 27 Feb 2024: 12 months Duldung, 12 months at ≥ 20 h)
    PCase(
        "60d all met: Duldung for 30 months with its end date",
        "60d",
        duldung(),
        ALL_YES,
        D(2024, 6, 1),
        ELIGIBLE,
        met_on={"duldung_12_months": D(2024, 1, 1), "employed": D(2024, 1, 1)},
        decision=DecisionType.REGULAR,
        until="2026-11-30",
        cite="§ 60d Abs. 1 AufenthG@2024-02-27",
        notes=("follow_on_25b6",),
    ),
    PCase(
        "60d employment 12 months reached tomorrow: eligible from then",
        "60d",
        duldung(),
        person(employed_since=D(2023, 7, 1)),
        D(2024, 6, 30),
        FROM,
        eligible_from=D(2024, 7, 1),
        states={"employed": MISSING},
        met_on={"employed": D(2024, 7, 1)},
        until="2026-12-31",
    ),
    PCase(
        "60d employment 12 months reached today",
        "60d",
        duldung(),
        person(employed_since=D(2023, 7, 1)),
        D(2024, 7, 1),
        ELIGIBLE,
        states={"employed": MET},
        met_on={"employed": D(2024, 7, 1)},
        until="2026-12-31",
    ),
    PCase(
        "60d 12 months of Duldung not yet",
        "60d",
        duldung(status_since=D(2023, 9, 1)),
        ALL_YES,
        D(2024, 8, 31),
        FROM,
        eligible_from=D(2024, 9, 1),
        states={"duldung_12_months": MISSING},
        met_on={"duldung_12_months": D(2024, 9, 1)},
    ),
    PCase(
        "60d 12 months of Duldung reached",
        "60d",
        duldung(status_since=D(2023, 9, 1)),
        ALL_YES,
        D(2024, 9, 1),
        ELIGIBLE,
        states={"duldung_12_months": MET},
    ),
    PCase(
        "60d two waits: eligible from the later one",
        "60d",
        duldung(status_since=D(2023, 9, 1)),
        person(employed_since=D(2023, 10, 1)),
        D(2024, 6, 1),
        FROM,
        eligible_from=D(2024, 10, 1),
        met_on={"duldung_12_months": D(2024, 9, 1), "employed": D(2024, 10, 1)},
        until="2027-03-31",
    ),
    PCase(
        "60d too few hours: not eligible, waiting does not help",
        "60d",
        duldung(status_since=D(2023, 9, 1)),
        person(weekly_hours=15),
        D(2024, 6, 1),
        NOT,
        states={"hours": MISSING},
        until="",
    ),
    PCase(
        "60d German level not known: open",
        "60d",
        duldung(),
        person(german_level=""),
        D(2024, 6, 1),
        OPEN,
        states={"german_a2": UNKNOWN},
    ),
    PCase(
        "60d livelihood not secured: not eligible",
        "60d",
        duldung(),
        person(livelihood_secured=False),
        D(2024, 6, 1),
        NOT,
        states={"livelihood": MISSING},
    ),
    PCase(
        "60d identity clarified on the last day of the deadline (31 Dec 2024)",
        "60d",
        duldung(),
        person(identity_clarified_on=D(2024, 12, 31)),
        D(2025, 6, 1),
        ELIGIBLE,
        states={"identity_deadline": MET},
    ),
    PCase(
        "60d identity clarified a day late: the authority's judgement",
        "60d",
        duldung(),
        person(identity_clarified_on=D(2025, 1, 1)),
        D(2025, 6, 1),
        OPEN,
        states={"identity_deadline": JUDGE},
    ),
    PCase(
        "60d identity not clarified: reasonable steps are a judgement, not a plain no",
        "60d",
        duldung(),
        person(identity_clarified=False, identity_clarified_on=None),
        D(2024, 6, 1),
        OPEN,
        states={"identity_deadline": JUDGE},
    ),
    PCase(
        "60d the day before the easing: 18 months at 35 h, entry by 1 Aug 2018",
        "60d",
        duldung(),
        ALL_YES,
        D(2024, 2, 26),
        NOT,
        states={"entry_by": MISSING, "hours": MISSING, "employed": MISSING},
        met_on={"employed": D(2024, 7, 1)},
        cite="§ 60d Abs. 1 AufenthG@2023-12-23",
    ),
    PCase(
        "60d 2020 version: entry 2017, identity by 30 Jun 2020, 18 months reached",
        "60d",
        duldung(status_since=D(2022, 1, 1)),
        person(
            arrival_date=D(2017, 6, 1),
            identity_clarified_on=D(2020, 6, 30),
            employed_since=D(2022, 1, 1),
            weekly_hours=40,
        ),
        D(2023, 10, 1),
        ELIGIBLE,
        met_on={"employed": D(2023, 7, 1), "duldung_12_months": D(2023, 1, 1)},
        cite="§ 60d Abs. 1 AufenthG@2020-01-01",
        until="2026-03-31",
    ),
    PCase(
        "60d 2020 version: 18 months not yet on the day before",
        "60d",
        duldung(status_since=D(2022, 1, 1)),
        person(arrival_date=D(2017, 6, 1), employed_since=D(2022, 1, 1), weekly_hours=40),
        D(2023, 6, 30),
        FROM,
        eligible_from=D(2023, 7, 1),
        met_on={"employed": D(2023, 7, 1)},
    ),
    # --- § 60c Ausbildungsduldung: the Gestattung never meets the Duldung item
    PCase(
        "60c Gestattung, training route not known: open, Duldung time not met",
        "60c",
        gestattung(),
        ARRIVED_2023,
        D(2024, 5, 1),
        OPEN,
        states={"training_route": UNKNOWN, "duldung_3_months": UNKNOWN},
    ),
    PCase(
        "60c Gestattung, training begun during the procedure: no Duldung time (Nr. 1)",
        "60c",
        gestattung(training_started_during_procedure=True),
        ARRIVED_2023,
        D(2024, 5, 1),
        ELIGIBLE,
        states={"training_route": MET, "duldung_3_months": NA, "no_imminent_measures": NA},
        decision=DecisionType.ENTITLEMENT,
        cite="§ 60c Abs. 1 S. 1 AufenthG@2020-01-01",
        notes=("follow_on_19d",),
    ),
    PCase(
        "60c Gestattung, no training begun in the procedure: not eligible",
        "60c",
        gestattung(training_started_during_procedure=False),
        ARRIVED_2023,
        D(2024, 5, 1),
        NOT,
        states={"training_route": MISSING, "duldung_3_months": MISSING},
    ),
    PCase(
        "60c Duldung 3 months not yet (Nr. 2)",
        "60c",
        duldung(status_since=D(2024, 3, 15)),
        ALL_YES,
        D(2024, 6, 14),
        FROM,
        eligible_from=D(2024, 6, 15),
        states={"duldung_3_months": MISSING, "training_route": MET},
        met_on={"duldung_3_months": D(2024, 6, 15)},
    ),
    PCase(
        "60c Duldung 3 months reached",
        "60c",
        duldung(status_since=D(2024, 3, 15)),
        ALL_YES,
        D(2024, 6, 15),
        ELIGIBLE,
        states={"duldung_3_months": MET},
    ),
    PCase(
        "60c Duldung after training begun in the procedure: no waiting",
        "60c",
        duldung(status_since=D(2024, 6, 10), training_started_during_procedure=True),
        ALL_YES,
        D(2024, 6, 15),
        ELIGIBLE,
        states={"duldung_3_months": NA},
    ),
    PCase(
        "60c identity within 6 months of an entry after 2019: missed → judgement",
        "60c",
        duldung(status_since=D(2023, 9, 1)),
        person(arrival_date=D(2023, 1, 1), identity_clarified_on=D(2023, 7, 1)),
        D(2024, 5, 1),
        OPEN,
        states={"identity_deadline": JUDGE},
    ),
    PCase(
        "60c identity on the last day of the 6 months",
        "60c",
        duldung(status_since=D(2023, 9, 1)),
        person(arrival_date=D(2023, 1, 1), identity_clarified_on=D(2023, 6, 30)),
        D(2024, 5, 1),
        ELIGIBLE,
        states={"identity_deadline": MET},
    ),
    PCase(
        "60c convictions: not eligible",
        "60c",
        duldung(),
        person(no_convictions=False),
        D(2024, 5, 1),
        NOT,
        states={"no_convictions": MISSING},
    ),
    # --- § 16g: § 60c plus § 5 (passport, livelihood)
    PCase(
        "16g passport and livelihood: entitlement",
        "16g",
        duldung(identity_by_passport=True),
        ALL_YES,
        D(2024, 5, 1),
        ELIGIBLE,
        decision=DecisionType.ENTITLEMENT,
        cite="§ 16g Abs. 1 AufenthG@2024-03-01",
    ),
    PCase(
        "16g without a passport: judgement",
        "16g",
        duldung(),
        ALL_YES,
        D(2024, 5, 1),
        OPEN,
        states={"passport": JUDGE},
    ),
    PCase(
        "16g Gestattung: the Duldung item is never met",
        "16g",
        gestattung(),
        ARRIVED_2023,
        D(2024, 5, 1),
        OPEN,
        states={"duldung_3_months": UNKNOWN},
    ),
    # --- § 25a
    PCase(
        "25a all met",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        ALL_YES,
        D(2024, 5, 1),
        ELIGIBLE,
        decision=DecisionType.REGULAR,
        met_on={
            "stay_3_years": D(2024, 1, 1),
            "duldung_12_months": D(2024, 1, 1),
            "age_14_27": D(2014, 6, 1),
        },
        cite="§ 25a Abs. 1 S. 1 AufenthG@2022-12-31",
    ),
    PCase(
        "25a 3 years of stay not yet",
        "25a",
        duldung(stay_since=D(2021, 6, 1)),
        ALL_YES,
        D(2024, 5, 31),
        FROM,
        eligible_from=D(2024, 6, 1),
        met_on={"stay_3_years": D(2024, 6, 1)},
    ),
    PCase(
        "25a 3 years of stay reached",
        "25a",
        duldung(stay_since=D(2021, 6, 1)),
        ALL_YES,
        D(2024, 6, 1),
        ELIGIBLE,
        states={"stay_3_years": MET},
    ),
    PCase(
        "25a aged 13: eligible from the 14th birthday",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        person(birth_date=D(2011, 6, 1)),
        D(2025, 5, 31),
        FROM,
        eligible_from=D(2025, 6, 1),
        states={"age_14_27": MISSING},
    ),
    PCase(
        "25a the 14th birthday",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        person(birth_date=D(2011, 6, 1)),
        D(2025, 6, 1),
        ELIGIBLE,
        states={"age_14_27": MET},
    ),
    PCase(
        "25a the day before the 27th birthday",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        person(birth_date=D(1997, 5, 2)),
        D(2024, 5, 1),
        ELIGIBLE,
        states={"age_14_27": MET},
    ),
    PCase(
        "25a the 27th birthday: not eligible",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        person(birth_date=D(1997, 5, 1)),
        D(2024, 5, 1),
        NOT,
        states={"age_14_27": MISSING},
        met_on={"age_14_27": None},
    ),
    PCase(
        "25a § 104c permit counts instead of 12 months of Duldung",
        "25a",
        Facts(status="ae_104c", status_since=D(2024, 1, 1), stay_since=D(2017, 1, 1)),
        ALL_YES,
        D(2024, 5, 1),
        ELIGIBLE,
        states={"duldung_12_months": MET},
    ),
    PCase(
        "25a integration prognosis not known: open",
        "25a",
        duldung(stay_since=D(2021, 1, 1)),
        person(integration_prognosis=None),
        D(2024, 5, 1),
        OPEN,
        states={"integration_prognosis": UNKNOWN},
    ),
    # --- § 25b: 6 years (4 with a minor child)
    PCase(
        "25b 6 years not yet",
        "25b",
        duldung(stay_since=D(2019, 1, 1)),
        ALL_YES,
        D(2024, 12, 31),
        FROM,
        eligible_from=D(2025, 1, 1),
        met_on={"stay_6_years": D(2025, 1, 1)},
    ),
    PCase(
        "25b 6 years reached",
        "25b",
        duldung(stay_since=D(2019, 1, 1)),
        ALL_YES,
        D(2025, 1, 1),
        ELIGIBLE,
        decision=DecisionType.REGULAR,
        cite="§ 25b Abs. 1 S. 1 AufenthG@2022-12-31",
    ),
    PCase(
        "25b with a minor child: 4 years, reached on 1 Jan 2023",
        "25b",
        duldung(stay_since=D(2019, 1, 1)),
        person(minor_child=True),
        D(2023, 1, 1),
        ELIGIBLE,
        met_on={"stay_6_years": D(2023, 1, 1)},
    ),
    PCase(
        "25b with a minor child: 4 years not yet on 31 Dec 2022",
        "25b",
        duldung(stay_since=D(2019, 1, 1)),
        person(minor_child=True),
        D(2022, 12, 31),
        FROM,
        eligible_from=D(2023, 1, 1),
    ),
    PCase(
        "25b not mainly self-supporting: not eligible",
        "25b",
        duldung(stay_since=D(2018, 1, 1)),
        person(mainly_self_supporting=False),
        D(2024, 5, 1),
        NOT,
        states={"self_supporting": MISSING},
    ),
    # --- § 104c Chancen-Aufenthaltsrecht
    PCase(
        "104c 5 years on 31 Oct 2022: permit for 18 months, no extension",
        "104c",
        duldung(stay_since=D(2017, 10, 31)),
        ALL_YES,
        D(2025, 6, 1),
        ELIGIBLE,
        states={"stay_5_years_2022": MET, "application_period": MET},
        met_on={"stay_5_years_2022": D(2022, 10, 31)},
        decision=DecisionType.REGULAR,
        until="2026-11-30",
        cite="§ 104c Abs. 1 S. 1 AufenthG@2022-12-31",
        notes=("no_extension_104c", "end_of_application_104c"),
    ),
    PCase(
        "104c stay one day short on 31 Oct 2022: waiting does not help",
        "104c",
        duldung(stay_since=D(2017, 11, 1)),
        ALL_YES,
        D(2025, 6, 1),
        NOT,
        states={"stay_5_years_2022": MISSING},
        met_on={"stay_5_years_2022": None},
    ),
    PCase(
        "104c last day of application 31 Dec 2025",
        "104c",
        duldung(stay_since=D(2017, 1, 1)),
        ALL_YES,
        D(2025, 12, 31),
        ELIGIBLE,
        until="2027-06-30",
        cite="§ 104c Abs. 1 S. 1 AufenthG@2022-12-31",
    ),
    PCase(
        "104c from 1 Jan 2026: no new grants, said so",
        "104c",
        duldung(stay_since=D(2017, 1, 1)),
        ALL_YES,
        D(2026, 1, 1),
        NOT,
        states={"application_period": MISSING, "stay_5_years_2022": MET},
        cite="§ 104c Abs. 1 S. 1 AufenthG@2026-01-01",
        notes=("application_ended_104c", "no_extension_104c"),
    ),
    PCase(
        "104c identity deception not known: open",
        "104c",
        duldung(stay_since=D(2017, 1, 1)),
        person(no_identity_deception=None),
        D(2024, 5, 1),
        OPEN,
        states={"no_identity_deception": UNKNOWN},
    ),
    PCase(
        "104c holds a residence title, no Duldung: not eligible",
        "104c",
        Facts(status="ae_25_2_refugee", status_since=D(2020, 1, 1), stay_since=D(2016, 1, 1)),
        ALL_YES,
        D(2024, 5, 1),
        NOT,
        states={"status_duldung": MISSING},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: PCase) -> None:
    check = precheck(case.check, case.facts, case.person, case.on)
    items = {item.code: item for item in check.items}
    assert check.result == case.result, [(i.code, i.state) for i in check.items]
    assert check.eligible_from == case.eligible_from
    for code, state in case.states.items():
        assert items[code].state == state, code
    for code, day in case.met_on.items():
        assert items[code].met_on == day, code
    if case.decision:
        assert check.decision == case.decision
    if case.until or case.result == NOT:
        assert check.consequence_detail == case.until
    if case.cite:
        assert f"{check.citation.norm}@{check.citation.valid_from.isoformat()}" == case.cite
    if case.notes:
        assert check.notes == case.notes


def test_results_of_every_kind_are_covered() -> None:
    assert {c.result for c in CASES} == set(Result)
    assert {c.check for c in CASES} == set(CHECKS)


def test_a_gestattung_never_meets_a_duldung_item() -> None:
    """Whatever the dates and the training fact, a Gestattung holder's Duldung items are
    never MET (§ 60c Abs. 1 S. 1 Nr. 1 needs no Duldung time: not applicable)."""
    for check in ("60c", "16g", "60d", "25a"):
        for started in (None, False, True):
            for since in (D(2015, 1, 1), D(2023, 1, 1)):
                facts = gestattung(status_since=since, training_started_during_procedure=started)
                for item in precheck(check, facts, ALL_YES, D(2024, 6, 1)).items:
                    if item.code.startswith("duldung_") or item.code == "status_duldung":
                        assert item.state != MET, (check, started, item.code)


def test_entered_facts_turn_open_into_definite() -> None:
    """The same case: not known → open; yes → eligible; no → not eligible."""
    facts, on = duldung(stay_since=D(2021, 1, 1)), D(2024, 5, 1)
    unknown = person(school_3_years=None, integration_prognosis=None)
    assert precheck("25a", facts, unknown, on).result == OPEN
    assert {i.code for i in precheck("25a", facts, unknown, on).open_items} == {
        "school_3_years",
        "integration_prognosis",
    }
    assert precheck("25a", facts, ALL_YES, on).result == ELIGIBLE
    assert precheck("25a", facts, person(school_3_years=False), on).result == NOT
    nothing = PersonFacts()
    assert precheck("60d", duldung(), nothing, on).result == OPEN


def test_104c_before_it_began_is_not_covered() -> None:
    with pytest.raises(NotCovered):
        precheck("104c", duldung(), ALL_YES, D(2022, 12, 30))
    assert "104c" in [c.key for c in prechecks(duldung(), ALL_YES, D(2026, 6, 1))]


@pytest.mark.parametrize(
    ("arrival", "on", "deadline"),
    [
        (D(2016, 12, 31), D(2024, 5, 1), D(2024, 5, 1)),  # entry by 2016: by the application
        (D(2017, 1, 1), D(2020, 3, 1), D(2020, 3, 1)),  # 2017–2019: the application …
        (D(2017, 1, 1), D(2024, 5, 1), D(2020, 6, 30)),  # … at the latest 30 Jun 2020
        (D(2020, 1, 1), D(2024, 5, 1), D(2020, 6, 30)),  # after 2019: 6 months after entry
    ],
)
def test_60c_identity_deadlines(arrival: datetime.date, on: datetime.date, deadline: datetime.date) -> None:
    spec = next(c for c, _until in _checks() if c["key"] == "60c")["items"][4]
    assert identity_deadline(spec, arrival, on) == deadline


def test_every_code_has_a_text() -> None:
    for check, _until in _checks():
        assert check["key"] in texts.PRECHECKS
        assert check.get("consequence", "") in texts.PRECHECK_CONSEQUENCES
        assert set(check.get("notes", ())) <= set(texts.PRECHECK_NOTES)
        assert {i["code"] for i in check["items"]} <= set(texts.PRECHECK_ITEMS)
    assert set(State) <= set(texts.PRECHECK_STATES)
    assert set(Result) <= set(texts.PRECHECK_RESULTS)


DURATION_KINDS = {"duldung_months", "stay_months", "employed_months", "age_between", "stay_on"}


@pytest.mark.parametrize(
    "on", [D(2023, 1, 1), D(2024, 2, 26), D(2024, 2, 27), D(2025, 12, 31), D(2026, 1, 1)]
)
def test_every_duration_requirement_has_its_date(on: datetime.date) -> None:
    """Met: `met_on` is on or before the reference date; missing with a date: after it."""
    facts = duldung(status_since=D(2023, 6, 1), stay_since=D(2020, 6, 1))
    young = person(birth_date=D(2000, 6, 1), employed_since=D(2023, 6, 1))
    for check in prechecks(facts, young, on):
        kinds = {s["code"]: s["kind"] for c, _u in _checks() if c["key"] == check.key for s in c["items"]}
        for item in check.items:
            if kinds[item.code] not in DURATION_KINDS:
                assert item.met_on is None, (check.key, item.code)
            elif item.state == MET:
                assert item.met_on is not None and item.met_on <= on, (check.key, item.code)
            elif item.met_on is not None:
                assert item.state == MISSING and item.met_on > on, (check.key, item.code)


def test_waiting_beyond_the_last_day_of_new_grants_is_not_eligible() -> None:
    """A wait that ends after an `open_until` day cannot be met by waiting."""
    cite = rule_data().cite("§ 104c Abs. 1 S. 1 AufenthG", D(2025, 6, 1))
    waiting = [Item("stay", MISSING, cite, met_on=D(2026, 2, 1)), Item("other", MET, cite)]
    assert _result(waiting, D(2025, 12, 31)) == (NOT, None)
    assert _result(waiting, D(2026, 3, 1)) == (FROM, D(2026, 2, 1))
    assert _result(waiting, None) == (FROM, D(2026, 2, 1))
