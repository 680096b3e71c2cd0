"""When consultation hours take place: recurrence rules, overlaps, the week's schedule."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from typing import Protocol

from bruecke.network.models import Recurrence

# Two rules that share a date share it within this horizon (week parity and month
# position both repeat well inside two years).
_HORIZON = datetime.timedelta(days=2 * 366)
_MONTHLY_POSITION = {
    Recurrence.MONTHLY_1: 1,
    Recurrence.MONTHLY_2: 2,
    Recurrence.MONTHLY_3: 3,
    Recurrence.MONTHLY_4: 4,
}


class HourRule(Protocol):
    weekday: int
    start_time: datetime.time
    end_time: datetime.time
    recurrence: str
    valid_from: datetime.date
    valid_until: datetime.date | None


def occurs_on(rule: HourRule, day: datetime.date) -> bool:
    if day.weekday() != rule.weekday or day < rule.valid_from:
        return False
    if rule.valid_until is not None and day > rule.valid_until:
        return False
    recurrence = Recurrence(rule.recurrence)
    if recurrence == Recurrence.WEEKLY:
        return True
    if recurrence in (Recurrence.EVEN_WEEKS, Recurrence.ODD_WEEKS):
        even = day.isocalendar().week % 2 == 0
        return even == (recurrence == Recurrence.EVEN_WEEKS)
    if recurrence == Recurrence.MONTHLY_LAST:
        return (day + datetime.timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == _MONTHLY_POSITION[recurrence]


def _dates_of_weekday(start: datetime.date, end: datetime.date, weekday: int) -> Iterator[datetime.date]:
    day = start + datetime.timedelta(days=(weekday - start.weekday()) % 7)
    while day <= end:
        yield day
        day += datetime.timedelta(days=7)


def overlaps(a: HourRule, b: HourRule) -> bool:
    """True if the two rules ever take place on the same day at overlapping times."""
    if a.weekday != b.weekday or not (a.start_time < b.end_time and b.start_time < a.end_time):
        return False
    start = max(a.valid_from, b.valid_from)
    ends = [d for d in (a.valid_until, b.valid_until) if d is not None]
    end = min([*ends, start + _HORIZON])
    return any(occurs_on(a, d) and occurs_on(b, d) for d in _dates_of_weekday(start, end, a.weekday))


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def week_schedule(
    rules: Iterable[HourRule], first_day: datetime.date
) -> list[tuple[datetime.date, list[HourRule]]]:
    """The rules taking place on each of the seven days from `first_day`, sorted by time.

    `first_day` may be any weekday: the network page starts at today, so a Friday visitor
    still sees next Monday to Thursday instead of a week that is nearly over.
    """
    rules = list(rules)
    days = [first_day + datetime.timedelta(days=i) for i in range(7)]
    return [(d, sorted((r for r in rules if occurs_on(r, d)), key=lambda r: r.start_time)) for d in days]
