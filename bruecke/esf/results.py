"""ESF result indicators of one leaver, derived from the recorded answers
(the exit services store them on the exit record, decision 0049).

Pure functions on plain values, so they can be tested without a database and reused by
the reporting engine. Rules: shared/design/esf-indicators.md §4.3, §4.4, §5.6, §8.3, §8.6
and the binding decisions §11.6–§11.8 (which win).
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

EXIT_WINDOW_DAYS = 28  # §11.6: exit date to exit + 28 days, both days included
FOLLOW_UP_MONTHS = 6  # §11.8
FOLLOW_UP_TOLERANCE_DAYS = 28  # §11.8: answers within ±28 days of the reference date count

# Situation keys (the values of esf.exit_models.SituationType).
EMPLOYED = "employed"
SELF_EMPLOYED = "self_employed"
JOB_SEARCHING = "job_searching"
UNEMPLOYED_REGISTERED = "unemployed_registered"
EDUCATION_TRAINING = "education_training"
APPRENTICESHIP = "apprenticeship"
SCHOOL = "school"
INACTIVE = "inactive"

# §11.6: the labour-market situations and what they mean upon leaving. Education and school
# are not labour-market situations: they feed EECR02 only and never end a job search.
WORKING = frozenset({EMPLOYED, SELF_EMPLOYED, APPRENTICESHIP})
SEARCHING = frozenset({JOB_SEARCHING, UNEMPLOYED_REGISTERED})
LABOUR_MARKET = WORKING | SEARCHING | {INACTIVE}
IN_EDUCATION = frozenset({EDUCATION_TRAINING, SCHOOL, APPRENTICESHIP})

EECR01 = "EECR01"  # job searching upon leaving
EECR02 = "EECR02"  # in education or training upon leaving
EECR03 = "EECR03"  # gaining a qualification upon leaving
EECR04 = "EECR04"  # in employment, including self-employment, upon leaving
EECR05 = "EECR05"  # in employment six months after leaving
EECR06 = "EECR06"  # improved labour-market situation six months after leaving

# Follow-up answers (the values of esf.exit_models.FollowUpAnswer).
ANSWER_YES = "yes"
ANSWER_NO = "no"
NO_RESPONSE = "no_response"


@dataclass(frozen=True)
class Situation:
    """One dated situation after exit; `order` is the recording order (later = larger)."""

    date: datetime.date
    kind: str
    order: int = 0


@dataclass(frozen=True)
class ImmediateResults:
    codes: frozenset[str]
    # True when two labour-market situations with different results share the deciding
    # day: the later-recorded one was used, and staff should check the record (§11.6).
    same_day_conflict: bool = False


def add_months(day: datetime.date, months: int) -> datetime.date:
    """Calendar months later; a day the target month lacks is clamped to its end (31 Aug + 6 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def exit_window(exit_date: datetime.date) -> tuple[datetime.date, datetime.date]:
    return exit_date, exit_date + datetime.timedelta(days=EXIT_WINDOW_DAYS)


def in_exit_window(exit_date: datetime.date, day: datetime.date) -> bool:
    start, end = exit_window(exit_date)
    return start <= day <= end


def _result_of(kind: str) -> str | None:
    if kind in WORKING:
        return EECR04
    if kind in SEARCHING:
        return EECR01
    return None


def labour_market_result(
    exit_date: datetime.date, situations: Iterable[Situation]
) -> tuple[str | None, bool]:
    """EECR04, EECR01 or None from the last labour-market situation in the window (§11.6),
    and whether a same-day conflict was resolved by the recording order."""
    relevant = [s for s in situations if s.kind in LABOUR_MARKET and in_exit_window(exit_date, s.date)]
    if not relevant:
        return None, False
    last = max(relevant, key=lambda s: (s.date, s.order))
    same_day = {_result_of(s.kind) for s in relevant if s.date == last.date}
    return _result_of(last.kind), len(same_day) > 1


def qualification_counts(
    entry_date: datetime.date, exit_date: datetime.date, gained_on: datetime.date | None
) -> bool:
    """§11.7: a qualification gained from the first entry date to exit + 28 days."""
    return gained_on is not None and entry_date <= gained_on <= exit_window(exit_date)[1]


def immediate_results(
    *,
    entry_date: datetime.date,
    exit_date: datetime.date,
    situations: Sequence[Situation],
    qualification_on: datetime.date | None,
) -> ImmediateResults:
    """The immediate result indicators (EECR01–04) one leaver counts in (§11.6, §11.7)."""
    codes: set[str] = set()
    labour_market, conflict = labour_market_result(exit_date, situations)
    if labour_market:
        codes.add(labour_market)
    if any(s.kind in IN_EDUCATION and in_exit_window(exit_date, s.date) for s in situations):
        codes.add(EECR02)
    if qualification_counts(entry_date, exit_date, qualification_on):
        codes.add(EECR03)
    return ImmediateResults(frozenset(codes), conflict)


def follow_up_reference_date(exit_date: datetime.date) -> datetime.date:
    """§11.8: final exit + 6 calendar months, clamped to the month's end."""
    return add_months(exit_date, FOLLOW_UP_MONTHS)


def follow_up_counts(exit_date: datetime.date, answered_on: datetime.date) -> bool:
    """§11.8: only answers dated within ±28 days of the reference date count."""
    reference = follow_up_reference_date(exit_date)
    return abs((answered_on - reference).days) <= FOLLOW_UP_TOLERANCE_DAYS


@dataclass(frozen=True)
class FollowUpAnswer:
    answered_on: datetime.date
    employed: str  # ANSWER_YES, ANSWER_NO or NO_RESPONSE
    improved: bool = False
    order: int = 0


def deciding_follow_up(exit_date: datetime.date, answers: Iterable[FollowUpAnswer]) -> FollowUpAnswer | None:
    """§11.8: among the answers that count, an answer beats "no response"; among answers the
    last wins (by date, then recording order). None when no answer counts."""
    counting = [a for a in answers if follow_up_counts(exit_date, a.answered_on)]
    if not counting:
        return None
    responses = [a for a in counting if a.employed != NO_RESPONSE] or counting
    return max(responses, key=lambda a: (a.answered_on, a.order))


def longer_term_results(
    *, exit_date: datetime.date, employed_at_entry: bool, answers: Iterable[FollowUpAnswer]
) -> frozenset[str] | None:
    """EECR05/EECR06 of one leaver; None when the person is not in the base (no counting
    answer, or only "no response": never counted as "not employed", §8.6.19)."""
    deciding = deciding_follow_up(exit_date, answers)
    if deciding is None or deciding.employed == NO_RESPONSE:
        return None
    codes: set[str] = set()
    if deciding.employed == ANSWER_YES:
        codes.add(EECR05)
        # §4.4: the improvement criteria apply to people employed at entry.
        if employed_at_entry and deciding.improved:
            codes.add(EECR06)
    return frozenset(codes)
