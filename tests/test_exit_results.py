"""The derived ESF result indicators of a leaver (§11.6–§11.8): pure functions, no database."""

from __future__ import annotations

import datetime

import pytest

from bruecke.esf import results as r
from bruecke.esf.results import FollowUpAnswer, Situation

EXIT = datetime.date(2026, 3, 2)


def _day(offset: int) -> datetime.date:
    return EXIT + datetime.timedelta(days=offset)


def _lm(*situations: Situation) -> tuple[str | None, bool]:
    return r.labour_market_result(EXIT, situations)


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime.date(2026, 8, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2027, 8, 31), datetime.date(2028, 2, 29)),  # leap year
        (datetime.date(2026, 3, 31), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 7, 15), datetime.date(2027, 1, 15)),  # over the year end
        (datetime.date(2026, 1, 31), datetime.date(2026, 7, 31)),
    ],
)
def test_reference_date_is_six_calendar_months_clamped_to_month_end(
    start: datetime.date, expected: datetime.date
) -> None:
    assert r.follow_up_reference_date(start) == expected


def test_window_includes_exit_date_and_day_28_but_not_day_29() -> None:
    assert _lm(Situation(_day(0), r.EMPLOYED)) == (r.EECR04, False)
    assert _lm(Situation(_day(28), r.EMPLOYED)) == (r.EECR04, False)
    assert _lm(Situation(_day(29), r.EMPLOYED)) == (None, False)  # §8.6.6
    assert _lm(Situation(_day(-1), r.EMPLOYED)) == (None, False)


def test_job_then_unemployment_within_28_days_is_job_searching() -> None:
    """§8.6.5: job then unemployment → EECR01, not EECR04."""
    result = r.immediate_results(
        entry_date=_day(-100),
        exit_date=EXIT,
        situations=[Situation(_day(3), r.EMPLOYED, 1), Situation(_day(20), r.UNEMPLOYED_REGISTERED, 2)],
        qualification_on=None,
    )
    assert result.codes == {r.EECR01}
    assert not result.same_day_conflict


def test_job_search_then_job_on_day_20_is_employment_only() -> None:
    result = r.immediate_results(
        entry_date=_day(-100),
        exit_date=EXIT,
        situations=[Situation(_day(0), r.JOB_SEARCHING, 1), Situation(_day(20), r.EMPLOYED, 2)],
        qualification_on=None,
    )
    assert result.codes == {r.EECR04}


def test_inactive_last_counts_in_neither_and_education_does_not_end_a_job_search() -> None:
    assert _lm(Situation(_day(0), r.JOB_SEARCHING), Situation(_day(5), r.INACTIVE)) == (None, False)
    result = r.immediate_results(
        entry_date=_day(-100),
        exit_date=EXIT,
        situations=[Situation(_day(0), r.JOB_SEARCHING, 1), Situation(_day(5), r.SCHOOL, 2)],
        qualification_on=None,
    )
    assert result.codes == {r.EECR01, r.EECR02}


def test_apprenticeship_counts_as_employment_and_as_education() -> None:
    result = r.immediate_results(
        entry_date=_day(-100),
        exit_date=EXIT,
        situations=[Situation(_day(1), r.APPRENTICESHIP)],
        qualification_on=None,
    )
    assert result.codes == {r.EECR02, r.EECR04}


def test_same_day_conflict_later_recorded_wins_and_is_flagged() -> None:
    employed_first = _lm(Situation(_day(4), r.EMPLOYED, 1), Situation(_day(4), r.JOB_SEARCHING, 2))
    searching_first = _lm(Situation(_day(4), r.JOB_SEARCHING, 1), Situation(_day(4), r.EMPLOYED, 2))
    assert employed_first == (r.EECR01, True)
    assert searching_first == (r.EECR04, True)
    # Same result on the same day: nothing to check.
    assert _lm(Situation(_day(4), r.EMPLOYED, 1), Situation(_day(4), r.SELF_EMPLOYED, 2)) == (r.EECR04, False)
    # A conflict on an earlier day does not matter once a later day decides.
    assert _lm(
        Situation(_day(4), r.EMPLOYED, 1),
        Situation(_day(4), r.JOB_SEARCHING, 2),
        Situation(_day(9), r.EMPLOYED, 3),
    ) == (r.EECR04, False)


def test_education_outside_the_window_does_not_count() -> None:
    result = r.immediate_results(
        entry_date=_day(-100),
        exit_date=EXIT,
        situations=[Situation(_day(29), r.SCHOOL)],
        qualification_on=None,
    )
    assert result.codes == frozenset()


@pytest.mark.parametrize(
    ("offset", "counts"),
    [(-100, True), (-101, False), (0, True), (28, True), (29, False), (-50, True)],
)
def test_qualification_counts_from_first_entry_to_exit_plus_28_days(offset: int, counts: bool) -> None:
    entry = _day(-100)
    assert r.qualification_counts(entry, EXIT, _day(offset)) is counts
    codes = r.immediate_results(
        entry_date=entry, exit_date=EXIT, situations=[], qualification_on=_day(offset)
    ).codes
    assert (r.EECR03 in codes) is counts


def test_no_qualification_date_no_eecr03() -> None:
    assert not r.qualification_counts(_day(-100), EXIT, None)


@pytest.mark.parametrize(
    ("offset", "counts"), [(-28, True), (0, True), (28, True), (-29, False), (29, False)]
)
def test_follow_up_counts_within_28_days_of_the_reference_date(offset: int, counts: bool) -> None:
    reference = r.follow_up_reference_date(EXIT)
    assert r.follow_up_counts(EXIT, reference + datetime.timedelta(days=offset)) is counts


def _answer(offset: int, employed: str, order: int, improved: bool = False) -> FollowUpAnswer:
    day = r.follow_up_reference_date(EXIT) + datetime.timedelta(days=offset)
    return FollowUpAnswer(answered_on=day, employed=employed, improved=improved, order=order)


def test_an_answer_beats_no_response_even_when_no_response_is_later() -> None:
    answers = [_answer(-5, r.ANSWER_NO, 1), _answer(10, r.NO_RESPONSE, 2)]
    assert r.deciding_follow_up(EXIT, answers) == answers[0]
    assert r.longer_term_results(exit_date=EXIT, employed_at_entry=False, answers=answers) == frozenset()


def test_among_answers_the_last_wins() -> None:
    answers = [_answer(-5, r.ANSWER_YES, 1), _answer(3, r.ANSWER_NO, 2), _answer(3, r.ANSWER_YES, 3)]
    assert r.deciding_follow_up(EXIT, answers) == answers[2]
    assert r.deciding_follow_up(EXIT, answers[:2]) == answers[1]


def test_answers_outside_the_window_do_not_count() -> None:
    answers = [_answer(-40, r.ANSWER_YES, 1), _answer(5, r.NO_RESPONSE, 2)]
    assert r.deciding_follow_up(EXIT, answers) == answers[1]
    # Only "no response" counts: the person is not in the base, never "not employed".
    assert r.longer_term_results(exit_date=EXIT, employed_at_entry=False, answers=answers) is None
    assert r.longer_term_results(exit_date=EXIT, employed_at_entry=False, answers=answers[:1]) is None


def test_eecr05_and_eecr06() -> None:
    improved = [_answer(0, r.ANSWER_YES, 1, improved=True)]
    assert r.longer_term_results(exit_date=EXIT, employed_at_entry=True, answers=improved) == frozenset(
        {r.EECR05, r.EECR06}
    )
    # EECR06 is about people employed at entry (§4.4).
    assert r.longer_term_results(exit_date=EXIT, employed_at_entry=False, answers=improved) == frozenset(
        {r.EECR05}
    )
