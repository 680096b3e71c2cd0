"""School-age rules (pure functions; decision 0047).

Birth dates of refugees are often partial (year only, or year and month), and a document's
01.01. may be a placeholder. A partial date stands for a range of possible birth dates,
hence for a range of possible ages on a day. The rules answer "could be": a participant is
of school age when any possible birth date gives an age from OFFERS_SCHOOL_AGE_FROM up to
(not including) OFFERS_SCHOOL_AGE_UNTIL, so nobody who might still be obliged to attend
school drops out of the lists. Only a participant who is *certainly* above school age needs
a reason for a school record.

`age_window(on, age_from, age_until)` turns an age range into a range of birth dates, so
that lists filter in SQL on indexed birth columns (offers.selectors.school) instead of
computing ages in Python.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings


class _HasBirth(Protocol):
    birth_year: int
    birth_month: int | None
    birth_day: int | None
    birth_date_is_placeholder: bool


@dataclass(frozen=True)
class Birth:
    """A possibly partial birth date: the year, maybe the month, maybe the day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def of(cls, person: _HasBirth) -> Birth:
        if person.birth_date_is_placeholder:  # 01.01. on the document says nothing
            return cls(person.birth_year)
        return cls(person.birth_year, person.birth_month, person.birth_day if person.birth_month else None)

    def earliest(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, self.day or 1)

    def latest(self) -> datetime.date:
        month = self.month or 12
        return datetime.date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])


def age_on(born: datetime.date, on: datetime.date) -> int:
    """Completed years on `on` (someone born on 29 February has their birthday on 1 March
    in other years)."""
    had_birthday = (on.month, on.day) >= (born.month, born.day)
    return on.year - born.year - (0 if had_birthday else 1)


def age_range(birth: Birth, on: datetime.date) -> tuple[int, int]:
    """The youngest and the oldest possible age on `on`."""
    return age_on(birth.latest(), on), age_on(birth.earliest(), on)


def latest_birth_for_age(on: datetime.date, age: int) -> datetime.date:
    """The latest birth date of someone who is at least `age` on `on`."""
    year = on.year - age
    return datetime.date(year, on.month, min(on.day, calendar.monthrange(year, on.month)[1]))


def age_window(on: datetime.date, age_from: int, age_until: int) -> tuple[datetime.date, datetime.date]:
    """Birth dates (first, last; both inclusive) of everyone aged from `age_from` up to
    (not including) `age_until` on `on`."""
    first = latest_birth_for_age(on, age_until) + datetime.timedelta(days=1)
    return first, latest_birth_for_age(on, age_from)


def could_be_aged(birth: Birth, on: datetime.date, age_from: int, age_until: int) -> bool:
    youngest, oldest = age_range(birth, on)
    return oldest >= age_from and youngest < age_until


def is_school_age(birth: Birth, on: datetime.date) -> bool:
    """Of compulsory school age on `on` (incl. Berufsschulpflicht), if it could be."""
    return could_be_aged(birth, on, settings.OFFERS_SCHOOL_AGE_FROM, settings.OFFERS_SCHOOL_AGE_UNTIL)


def is_above_school_age(birth: Birth, on: datetime.date) -> bool:
    """Certainly past compulsory schooling on `on`, whatever the unknown parts of the date."""
    youngest, _oldest = age_range(birth, on)
    return youngest >= settings.OFFERS_SCHOOL_AGE_UNTIL


def in_transition_age(birth: Birth, on: datetime.date) -> bool:
    """In the school-to-work transition age on `on` (15 to 25 by default), if it could be."""
    return could_be_aged(birth, on, settings.OFFERS_TRANSITION_AGE_FROM, settings.OFFERS_TRANSITION_AGE_UNTIL)
