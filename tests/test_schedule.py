from __future__ import annotations

import datetime
from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from bruecke.network.models import Recurrence
from bruecke.network.schedule import occurs_on, overlaps, week_schedule, week_start


@dataclass
class Rule:
    weekday: int = 0
    start_time: datetime.time = datetime.time(9)
    end_time: datetime.time = datetime.time(11)
    recurrence: str = Recurrence.WEEKLY
    valid_from: datetime.date = datetime.date(2026, 1, 1)
    valid_until: datetime.date | None = None


MONDAY_WEEK_2 = datetime.date(2026, 1, 5)  # ISO week 2 (even)
MONDAY_WEEK_3 = datetime.date(2026, 1, 12)


def test_even_and_odd_weeks() -> None:
    even, odd = Rule(recurrence=Recurrence.EVEN_WEEKS), Rule(recurrence=Recurrence.ODD_WEEKS)
    assert occurs_on(even, MONDAY_WEEK_2) and not occurs_on(even, MONDAY_WEEK_3)
    assert occurs_on(odd, MONDAY_WEEK_3) and not occurs_on(odd, MONDAY_WEEK_2)
    assert not overlaps(even, odd)
    assert overlaps(even, Rule())


def test_monthly_positions() -> None:
    first, last = Rule(recurrence=Recurrence.MONTHLY_1), Rule(recurrence=Recurrence.MONTHLY_LAST)
    assert occurs_on(first, datetime.date(2026, 2, 2))
    assert not occurs_on(first, datetime.date(2026, 2, 9))
    assert occurs_on(last, datetime.date(2026, 2, 23))
    assert occurs_on(last, datetime.date(2026, 3, 30))
    assert not occurs_on(last, datetime.date(2026, 3, 23))
    # In a month with four Mondays the fourth is also the last one.
    assert overlaps(Rule(recurrence=Recurrence.MONTHLY_4), last)
    assert not overlaps(first, Rule(recurrence=Recurrence.MONTHLY_2))


def test_validity_ranges() -> None:
    spring = Rule(valid_until=datetime.date(2026, 3, 31))
    autumn = Rule(valid_from=datetime.date(2026, 9, 1))
    assert not overlaps(spring, autumn)
    assert not occurs_on(spring, datetime.date(2026, 4, 6))
    assert not occurs_on(autumn, datetime.date(2025, 12, 29))


def test_touching_times_do_not_overlap() -> None:
    assert not overlaps(Rule(), Rule(start_time=datetime.time(11), end_time=datetime.time(12)))
    assert overlaps(Rule(), Rule(start_time=datetime.time(10, 59), end_time=datetime.time(12)))


def test_week_schedule_sorts_by_day_and_time() -> None:
    late, early = Rule(start_time=datetime.time(14), end_time=datetime.time(15)), Rule()
    days = week_schedule([late, early, Rule(weekday=2)], MONDAY_WEEK_2)
    assert [len(hours) for _day, hours in days] == [2, 0, 1, 0, 0, 0, 0]
    assert days[0][1] == [early, late]
    assert week_start(datetime.date(2026, 1, 11)) == MONDAY_WEEK_2


rules = st.builds(
    Rule,
    weekday=st.integers(0, 6),
    start_time=st.sampled_from([datetime.time(h) for h in range(8, 16)]),
    end_time=st.just(datetime.time(17)),
    recurrence=st.sampled_from(list(Recurrence)),
    valid_from=st.dates(datetime.date(2026, 1, 1), datetime.date(2027, 1, 1)),
)


@given(a=rules, b=rules)
def test_overlap_is_symmetric(a: Rule, b: Rule) -> None:
    assert overlaps(a, b) == overlaps(b, a)


@given(a=rules, b=rules, day=st.dates(datetime.date(2026, 1, 1), datetime.date(2028, 1, 1)))
def test_a_shared_day_means_overlap(a: Rule, b: Rule, day: datetime.date) -> None:
    if occurs_on(a, day) and occurs_on(b, day):
        assert overlaps(a, b)
