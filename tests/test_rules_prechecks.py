"""Pre-checks § 60c / § 16g, § 60d, § 25a, § 25b, § 104c: thresholds by version, states per item."""

from __future__ import annotations

import datetime

import pytest

from bruecke.rules.prechecks import PersonFacts, State, precheck, prechecks
from bruecke.rules.types import AsylumOutcome, Facts, NotCovered

D = datetime.date


def _duldung(**kw: object) -> Facts:
    base: dict[str, object] = {
        "status": "duldung_60a",
        "status_since": D(2023, 1, 1),
        "stay_since": D(2019, 1, 1),
        "asylum_applied_on": D(2019, 1, 1),
        "asylum_outcome": AsylumOutcome.REJECTED,
        "nationality": "AF",
    }
    return Facts(**(base | kw))  # type: ignore[arg-type]


WORKER = PersonFacts(
    arrival_date=D(2019, 1, 1), german_level="A2", employed_since=D(2022, 12, 1), weekly_hours=25
)


def _states(check: str, facts: Facts, person: PersonFacts, on: datetime.date) -> dict[str, State]:
    return {item.code: item.state for item in precheck(check, facts, person, on).items}


def test_60d_eased_on_27_feb_2024() -> None:
    """14 months at 25 h/week: not enough before (18 months, 35 h), enough after (12, 20 h)."""
    before = _states("60d", _duldung(), WORKER, D(2024, 2, 26))
    after = _states("60d", _duldung(), WORKER, D(2024, 2, 27))
    assert before["employed"] == State.MISSING and before["hours"] == State.MISSING
    assert before["entry_by"] == State.MISSING  # entry after 1 Aug 2018
    assert after["employed"] == State.MET and after["hours"] == State.MET and after["entry_by"] == State.MET
    assert after["german_a2"] == State.MET
    assert after["livelihood"] == State.UNKNOWN  # enterable, not entered


def test_60d_single_parent_needs_20_hours_before_2024() -> None:
    person = PersonFacts(
        arrival_date=D(2018, 1, 1), weekly_hours=22, employed_since=D(2022, 1, 1), single_parent=True
    )
    states = _states("60d", _duldung(), person, D(2023, 10, 1))
    assert states["hours"] == states["employed"] == states["entry_by"] == State.MET
    assert states["german_a2"] == State.UNKNOWN  # not recorded


def test_60d_duldung_months() -> None:
    on = D(2024, 5, 1)
    short, long_enough = _duldung(status_since=D(2023, 6, 1)), _duldung(status_since=D(2023, 4, 1))
    assert _states("60d", short, WORKER, on)["duldung_12_months"] == State.MISSING
    assert _states("60d", long_enough, WORKER, on)["duldung_12_months"] == State.MET


def test_60c_and_16g() -> None:
    facts = _duldung(status_since=D(2024, 3, 15))
    states = _states("60c", facts, WORKER, D(2024, 5, 1))
    assert states["duldung_3_months"] == State.MISSING  # 3 months end on 14 Jun 2024
    assert _states("60c", facts, WORKER, D(2024, 6, 15))["duldung_3_months"] == State.MET
    assert states["qualified_training"] == State.UNKNOWN
    assert states["no_work_ban"] == State.MET
    banned = _states("60c", _duldung(nationality="AL"), WORKER, D(2024, 5, 1))
    assert banned["no_work_ban"] == State.MISSING
    gestattung = Facts(status="gestattung", status_since=D(2024, 1, 1), asylum_applied_on=D(2024, 1, 1))
    # A Gestattung never meets the Duldung item; the route decides (test_rules_prechecks_decide).
    assert _states("60c", gestattung, WORKER, D(2024, 5, 1))["duldung_3_months"] == State.UNKNOWN
    assert _states("16g", facts, WORKER, D(2024, 5, 1))["passport"] == State.JUDGEMENT
    assert _states("16g", _duldung(identity_by_passport=True), WORKER, D(2024, 5, 1))["passport"] == State.MET
    with pytest.raises(NotCovered):
        precheck("16g", facts, WORKER, D(2024, 2, 29))


def test_25a_age_and_stay() -> None:
    young = PersonFacts(birth_date=D(1998, 6, 1))
    on = D(2024, 5, 1)
    states = _states("25a", _duldung(stay_since=D(2021, 4, 30)), young, on)
    assert states["age_14_27"] == State.MET  # 25
    assert states["stay_3_years"] == State.MET
    assert _states("25a", _duldung(stay_since=D(2021, 5, 2)), young, on)["stay_3_years"] == State.MISSING
    too_old = PersonFacts(birth_date=D(1997, 4, 30))
    assert _states("25a", _duldung(), too_old, on)["age_14_27"] == State.MISSING
    assert _states("25a", _duldung(), PersonFacts(), on)["age_14_27"] == State.UNKNOWN


def test_25b_child_shortens_the_stay() -> None:
    facts = _duldung(stay_since=D(2019, 1, 1))
    on = D(2024, 5, 1)
    assert _states("25b", facts, PersonFacts(), on)["stay_6_years"] == State.MISSING
    assert _states("25b", facts, PersonFacts(minor_child=True), on)["stay_6_years"] == State.MET
    refugee = Facts(status="ae_25_2_refugee", status_since=D(2020, 1, 1))
    assert _states("25b", refugee, PersonFacts(), on)["status_duldung_or_104c"] == State.MISSING


def test_all_checks_cite_the_version_in_force() -> None:
    checks = prechecks(_duldung(), WORKER, D(2024, 5, 1))
    assert [c.key for c in checks] == ["60c", "16g", "60d", "25a", "25b", "104c"]
    sixty_d = next(c for c in checks if c.key == "60d")
    assert sixty_d.citation.valid_from == D(2024, 2, 27)
    assert [c.key for c in prechecks(_duldung(), WORKER, D(2022, 6, 1))] == ["60c", "60d"]
