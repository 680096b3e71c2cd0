"""The school-age rules (offers.school_age): ages from possibly partial birth dates, the
birth-date window the lists filter on, "could be" for partial dates, and the rule that
only someone certainly above school age needs a reason for a school record."""

from __future__ import annotations

import calendar
import datetime

from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from bruecke.offers.school_age import (
    Birth,
    age_on,
    age_range,
    age_window,
    could_be_aged,
    in_transition_age,
    is_above_school_age,
    is_school_age,
    latest_birth_for_age,
)

DAYS = st.dates(min_value=datetime.date(1950, 1, 1), max_value=datetime.date(2060, 12, 31))
AGES = st.integers(min_value=0, max_value=60)


def _counted_age(born: datetime.date, on: datetime.date) -> int:
    """Age by counting birthdays (29 February celebrated on 1 March in other years)."""
    age = 0
    for year in range(born.year + 1, on.year + 1):
        month, day = born.month, born.day
        if (month, day) == (2, 29) and not calendar.isleap(year):
            month, day = 3, 1
        if datetime.date(year, month, day) <= on:
            age += 1
    return age


def _possible_dates(birth: Birth) -> list[datetime.date]:
    days = []
    day = birth.earliest()
    while day <= birth.latest():
        days.append(day)
        day += datetime.timedelta(days=1)
    return days


@st.composite
def births(draw: st.DrawFn) -> Birth:
    year = draw(st.integers(min_value=1960, max_value=2030))
    month = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=12)))
    if month is None:
        return Birth(year)
    day = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1])))
    return Birth(year, month, day)


@given(born=DAYS, on=DAYS)
def test_age_counts_the_birthdays(born: datetime.date, on: datetime.date) -> None:
    if born <= on:
        assert age_on(born, on) == _counted_age(born, on)


@given(born=DAYS, on=DAYS, age=AGES)
def test_latest_birth_for_age_is_the_boundary_of_that_age(
    born: datetime.date, on: datetime.date, age: int
) -> None:
    if on.year - age < 1900:
        return
    assert (age_on(born, on) >= age) == (born <= latest_birth_for_age(on, age))


@given(
    born=DAYS,
    on=DAYS,
    low=st.integers(min_value=0, max_value=30),
    span=st.integers(min_value=1, max_value=30),
)
def test_the_window_holds_exactly_the_ages_in_range(
    born: datetime.date, on: datetime.date, low: int, span: int
) -> None:
    first, last = age_window(on, low, low + span)
    assert (first <= born <= last) == (low <= age_on(born, on) < low + span)


@given(
    birth=births(),
    on=DAYS,
    low=st.integers(min_value=0, max_value=30),
    span=st.integers(min_value=1, max_value=12),
)
def test_a_partial_date_could_be_of_an_age_when_one_of_its_days_is(
    birth: Birth, on: datetime.date, low: int, span: int
) -> None:
    possible = [d for d in _possible_dates(birth) if d <= on]
    expected = any(low <= age_on(d, on) < low + span for d in possible)
    if len(possible) == len(_possible_dates(birth)):  # born before `on` whatever the unknown parts
        assert could_be_aged(birth, on, low, low + span) == expected


@given(birth=births(), on=DAYS)
def test_the_age_range_spans_every_possible_day(birth: Birth, on: datetime.date) -> None:
    youngest, oldest = age_range(birth, on)
    ages = {age_on(d, on) for d in _possible_dates(birth)}
    assert (youngest, oldest) == (min(ages), max(ages))


@given(birth=births(), on=DAYS)
def test_above_school_age_is_never_school_age(birth: Birth, on: datetime.date) -> None:
    if is_above_school_age(birth, on):
        assert not is_school_age(birth, on)


ON = datetime.date(2026, 12, 6)


def test_school_age_from_6_up_to_18_by_default() -> None:
    assert not is_school_age(Birth(2020, 12, 7), ON)  # 5, six tomorrow
    assert is_school_age(Birth(2020, 12, 6), ON)  # six today
    assert is_school_age(Birth(2008, 12, 7), ON)  # 17, eighteen tomorrow
    assert not is_school_age(Birth(2008, 12, 6), ON)  # eighteen today
    assert is_above_school_age(Birth(2008, 12, 6), ON)


def test_a_year_only_birth_date_is_school_age_if_it_could_be() -> None:
    # Born in 2008: 17 or 18 on 6 December 2026, so possibly still obliged to attend school.
    assert is_school_age(Birth(2008), ON)
    assert not is_above_school_age(Birth(2008), ON)
    assert is_above_school_age(Birth(2007), ON)  # 18 or 19
    # A month narrows it: born in November 2008, eighteen by now.
    assert is_above_school_age(Birth(2008, 11), ON)
    assert is_school_age(Birth(2008, 12), ON)


def test_a_placeholder_01_01_counts_as_year_only() -> None:
    from bruecke.participants.models import Participant

    person = Participant(birth_year=2008, birth_month=1, birth_day=1, birth_date_is_placeholder=True)
    assert Birth.of(person) == Birth(2008)
    person.birth_date_is_placeholder = False
    assert Birth.of(person) == Birth(2008, 1, 1)


def test_born_on_29_february() -> None:
    born = Birth(2008, 2, 29)
    assert age_on(born.earliest(), datetime.date(2026, 2, 28)) == 17
    assert age_on(born.earliest(), datetime.date(2026, 3, 1)) == 18


def test_transition_age_from_15_up_to_26() -> None:
    assert not in_transition_age(Birth(2011, 12, 7), ON)  # 14
    assert in_transition_age(Birth(2011, 12, 6), ON)
    assert in_transition_age(Birth(2001, 12, 7), ON)  # 24 → 25 tomorrow: still in
    assert in_transition_age(Birth(2000, 12, 7), ON)  # 25
    assert not in_transition_age(Birth(2000, 12, 6), ON)  # 26 today


@override_settings(OFFERS_SCHOOL_AGE_FROM=7, OFFERS_SCHOOL_AGE_UNTIL=16)
def test_the_ages_are_settings() -> None:
    assert not is_school_age(Birth(2020, 1, 1), ON)  # six
    assert is_above_school_age(Birth(2010, 1, 1), ON)  # sixteen
