"""The indicator engine on hand-built participations: every edge case of §8.6 and §11."""

from __future__ import annotations

import pytest

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.projects.models import EsfVariant, LtuRule, PartialBirthDateRule, Project, ResultBase
from bruecke.reporting.indicators import (
    MEN,
    NON_BINARY,
    TOTAL,
    WOMEN,
    IndicatorReport,
    compute_report,
    incomplete_participants,
    participants_behind,
)
from tests.indicator_data import D, leave, make_project, open_case, person, request_for

pytestmark = pytest.mark.django_db
YEAR = (D(2025, 1, 1), D(2025, 12, 31))


def _report(demo: DemoNetwork, project: Project, start: D = YEAR[0], end: D = YEAR[1]) -> IndicatorReport:
    return compute_report(request_for(demo, project, start, end))


def _total(report: IndicatorReport, code: str) -> int:
    return report.by_code()[code].values.total


def _flag(report: IndicatorReport, key: str) -> int:
    return next(flag.count for flag in report.flags if flag.key == key)


def _behind(demo: DemoNetwork, project: Project, code: str, breakdown: str = TOTAL) -> set[int]:
    request = request_for(demo, project, *YEAR)
    return set(participants_behind(request, code, breakdown).values_list("pk", flat=True))


# --- participation, re-entry, exits ------------------------------------------------------


def test_reentry_counts_the_final_exit_and_ignores_the_earlier_one(demo: DemoNetwork) -> None:
    project = make_project(demo)
    anna = person(demo, project, entry=D(2024, 2, 1))
    leave(demo, anna, D(2024, 6, 1), situations=[(2, "employed")])  # first exit: a job
    leave(demo, anna, D(2025, 4, 1), situations=[(5, "job_searching")])  # re-entry, final exit
    report = _report(demo, project)
    assert _total(report, "EECR04") == 0  # the earlier exit's result is dropped (§8.6.1)
    assert _total(report, "EECR01") == 1
    assert _total(report, "EECO01") == 0  # entered in 2024: not an output of 2025
    assert _total(_report(demo, project, D(2024, 1, 1), D(2024, 12, 31)), "EECR04") == 0


def test_an_open_case_means_no_exit_yet(demo: DemoNetwork) -> None:
    project = make_project(demo)
    ben = person(demo, project, gender="male")
    leave(demo, ben, D(2025, 5, 1), situations=[(1, "employed")])
    assert _total(_report(demo, project), "EECR04") == 1
    open_case(demo, ben, D(2025, 7, 1))  # re-entry: a new case, still open
    report = _report(demo, project)
    assert _total(report, "EECR04") == 0 and _total(report, "EECO01") == 1


def test_early_leaver_into_a_job_counts_in_eecr04(demo: DemoNetwork) -> None:
    project = make_project(demo)
    early = person(demo, project)
    record = leave(demo, early, D(2025, 3, 10), situations=[(0, "employed")])
    assert record.result_labour_market == "EECR04"
    assert _total(_report(demo, project), "EECR04") == 1


def test_last_situation_within_28_days_decides_and_day_29_is_ignored(demo: DemoNetwork) -> None:
    project = make_project(demo)
    job_then_search = person(demo, project)
    leave(demo, job_then_search, D(2025, 5, 1), situations=[(3, "employed"), (20, "unemployed_registered")])
    search_then_job = person(demo, project)
    leave(demo, search_then_job, D(2025, 5, 1), situations=[(1, "job_searching"), (20, "employed")])
    late_job = person(demo, project)
    leave(demo, late_job, D(2025, 5, 1), situations=[(29, "employed")])
    report = _report(demo, project)
    assert _total(report, "EECR01") == 1 and _total(report, "EECR04") == 1
    assert _behind(demo, project, "EECR04") == {search_then_job.pk}


def test_same_day_conflict_later_recorded_wins_and_is_flagged(demo: DemoNetwork) -> None:
    project = make_project(demo)
    conflicted = person(demo, project)
    leave(demo, conflicted, D(2025, 5, 1), situations=[(4, "employed"), (4, "job_searching")])
    report = _report(demo, project)
    assert _total(report, "EECR01") == 1 and _total(report, "EECR04") == 0
    assert _flag(report, "same_day_conflict") == 1


def test_apprenticeship_counts_for_employment_and_education(demo: DemoNetwork) -> None:
    project = make_project(demo)
    apprentice = person(demo, project)
    leave(demo, apprentice, D(2025, 8, 1), situations=[(0, "apprenticeship")], qualification_on=D(2025, 7, 1))
    report = _report(demo, project)
    assert (_total(report, "EECR02"), _total(report, "EECR03"), _total(report, "EECR04")) == (1, 1, 1)


def test_period_cutting_through_a_participation(demo: DemoNetwork) -> None:
    """Entry in one period, exit in the next: an output of the first, a result of the second;
    situations after the period's end still count (§11.12)."""
    project = make_project(demo)
    crossing = person(demo, project, entry=D(2025, 11, 1))
    leave(demo, crossing, D(2025, 12, 30), situations=[(10, "employed")])
    first = _report(demo, project, D(2025, 1, 1), D(2025, 12, 29))
    assert (_total(first, "EECO01"), _total(first, "EECR04")) == (1, 0)
    second = _report(demo, project, D(2025, 12, 30), D(2026, 6, 30))
    assert (_total(second, "EECO01"), _total(second, "EECR04")) == (0, 1)


# --- six months after leaving -------------------------------------------------------------


def test_follow_up_answers_inside_and_outside_28_days(demo: DemoNetwork) -> None:
    project = make_project(demo)
    exit_day = D(2025, 1, 15)  # reference date 15 July 2025
    inside = person(demo, project)
    leave(demo, inside, exit_day, follow_ups=[(D(2025, 8, 12), "yes", False)])  # +28 days
    outside = person(demo, project)
    leave(demo, outside, exit_day, follow_ups=[(D(2025, 8, 13), "yes", False)])  # +29 days
    silent = person(demo, project)
    leave(demo, silent, exit_day, follow_ups=[(D(2025, 7, 15), "no_response", False)])
    answer_beats_silence = person(demo, project)
    leave(
        demo,
        answer_beats_silence,
        exit_day,
        follow_ups=[(D(2025, 7, 10), "no", False), (D(2025, 7, 20), "no_response", False)],
    )
    report = _report(demo, project)
    assert _total(report, "EECR05") == 1
    assert (report.follow_up.due, report.follow_up.answered) == (4, 2)
    assert _behind(demo, project, "EECR05") == {inside.pk}


def test_follow_up_not_due_before_the_reference_date(demo: DemoNetwork) -> None:
    project = make_project(demo)
    late = person(demo, project)
    leave(demo, late, D(2025, 8, 31), follow_ups=[(D(2026, 2, 28), "yes", False)])  # due 28 Feb 2026
    assert (_total(_report(demo, project), "EECR05"), _report(demo, project).follow_up.due) == (0, 0)
    until_feb = _report(demo, project, D(2025, 1, 1), D(2026, 2, 28))
    assert (_total(until_feb, "EECR05"), until_feb.follow_up.due) == (1, 1)


def test_improvement_counts_for_people_employed_at_entry_only(demo: DemoNetwork) -> None:
    project = make_project(demo)
    employed = person(demo, project, lm="employed")
    leave(demo, employed, D(2025, 1, 10), follow_ups=[(D(2025, 7, 10), "yes", True)])
    unemployed = person(demo, project)
    leave(demo, unemployed, D(2025, 1, 10), follow_ups=[(D(2025, 7, 10), "yes", True)])
    report = _report(demo, project)
    assert (_total(report, "EECR05"), _total(report, "EECR06")) == (2, 1)


def test_transition_variant_leaves_people_employed_at_entry_out(demo: DemoNetwork) -> None:
    project = make_project(demo, result_base=ResultBase.TRANSITION)
    employed = person(demo, project, lm="employed")
    leave(
        demo,
        employed,
        D(2025, 1, 10),
        situations=[(0, "employed")],
        follow_ups=[(D(2025, 7, 10), "yes", True)],
    )
    inactive = person(demo, project, lm="inactive")
    leave(
        demo,
        inactive,
        D(2025, 1, 10),
        situations=[(0, "employed")],
        follow_ups=[(D(2025, 7, 10), "yes", False)],
    )
    report = _report(demo, project)
    assert (_total(report, "EECR04"), _total(report, "EECR05"), _total(report, "EECR06")) == (1, 1, 1)
    assert report.follow_up.due == 1
    gross = _report(demo, Project.objects.filter(pk=project.pk).first() or project)
    assert gross.settings_used[-1][1]  # the setting is shown


# --- age at entry ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "placeholder", "rule", "entry", "age"),
    [
        ((2007, 3, 1), False, PartialBirthDateRule.DOCUMENT, D(2025, 2, 28), 17),
        ((2007, 3, 1), False, PartialBirthDateRule.DOCUMENT, D(2025, 3, 1), 18),
        ((2004, 2, 29), False, PartialBirthDateRule.DOCUMENT, D(2025, 2, 28), 20),  # 29 Feb: from 1 March
        ((2004, 2, 29), False, PartialBirthDateRule.DOCUMENT, D(2025, 3, 1), 21),
        ((2007, None, None), False, PartialBirthDateRule.DOCUMENT, D(2025, 1, 1), 18),
        ((2007, None, None), False, PartialBirthDateRule.MIDPOINT, D(2025, 6, 30), 17),
        ((2007, None, None), False, PartialBirthDateRule.MIDPOINT, D(2025, 7, 1), 18),
        ((2007, 9, None), False, PartialBirthDateRule.DOCUMENT, D(2025, 9, 1), 18),
        ((2007, 9, None), False, PartialBirthDateRule.MIDPOINT, D(2025, 9, 14), 17),
        ((2007, 9, None), False, PartialBirthDateRule.MIDPOINT, D(2025, 9, 15), 18),
        ((2007, 12, 24), True, PartialBirthDateRule.DOCUMENT, D(2025, 1, 1), 18),  # placeholder = year only
    ],
)
def test_age_at_entry_in_sql(
    demo: DemoNetwork,
    birth: tuple[int, int | None, int | None],
    placeholder: bool,
    rule: str,
    entry: D,
    age: int,
) -> None:
    project = make_project(demo, partial_birth_date_rule=rule)
    person(demo, project, birth=birth, placeholder=placeholder, entry=entry)
    report = _report(demo, project)
    assert _total(report, "EECO06") == (1 if age < 18 else 0)
    assert _total(report, "EECO07") == (1 if 18 <= age <= 29 else 0)


def test_under_15_counted_and_flagged_and_55_plus(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, birth=(2011, 6, 1), entry=D(2025, 5, 31))  # 13
    person(demo, project, birth=(1970, 3, 1), entry=D(2025, 3, 1))  # 55 on the day
    person(demo, project, birth=(1970, 3, 2), entry=D(2025, 3, 1))  # 54
    report = _report(demo, project)
    assert (_total(report, "EECO06"), _total(report, "EECO08"), _flag(report, "under_15")) == (1, 1, 1)


# --- long-term unemployment -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "entry", "rule", "birth", "ltu"),
    [
        (D(2024, 3, 1), D(2025, 3, 1), LtuRule.DE_12_MONTHS, (1980, 1, 1), False),  # exactly 12 months
        (D(2024, 3, 1), D(2025, 3, 2), LtuRule.DE_12_MONTHS, (1980, 1, 1), True),  # 12 months + 1 day
        (D(2024, 2, 29), D(2025, 2, 28), LtuRule.DE_12_MONTHS, (1980, 1, 1), False),  # clamped: = 28 Feb
        (D(2024, 2, 29), D(2025, 3, 1), LtuRule.DE_12_MONTHS, (1980, 1, 1), True),
        (
            D(2024, 8, 31),
            D(2025, 2, 28),
            LtuRule.EU_AGE_DEPENDENT,
            (2005, 1, 1),
            False,
        ),  # 31 Aug + 6 = 28 Feb
        (D(2024, 8, 31), D(2025, 3, 1), LtuRule.EU_AGE_DEPENDENT, (2005, 1, 1), True),  # under 25: > 6 months
        (D(2024, 8, 31), D(2025, 3, 1), LtuRule.EU_AGE_DEPENDENT, (1990, 1, 1), False),  # 25+: 12 months
        (D(2024, 8, 31), D(2025, 3, 1), LtuRule.DE_12_MONTHS, (2005, 1, 1), False),
    ],
)
def test_long_term_unemployment(
    demo: DemoNetwork, since: D, entry: D, rule: str, birth: tuple[int, int, int], ltu: bool
) -> None:
    project = make_project(demo, ltu_rule=rule)
    person(demo, project, since=since, entry=entry, birth=birth)
    assert _total(_report(demo, project), "EECO03") == int(ltu)


def test_registered_unemployed_without_date_is_not_ltu_and_flagged(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, since=None)
    report = _report(demo, project)
    assert (_total(report, "EECO02"), _total(report, "EECO03"), _flag(report, "no_registration_date")) == (
        1,
        0,
        1,
    )


# --- completeness, gender, sensitive items, citizenship, rural ----------------------------


def test_incomplete_records_are_in_no_indicator(demo: DemoNetwork) -> None:
    project = make_project(demo)
    complete = person(demo, project)
    no_gender = person(demo, project, gender="not_stated")
    no_isced = person(demo, project, isced=None)
    no_record = person(demo, project, record=False)
    no_lm = person(demo, project, lm="")
    for someone in (no_gender, no_isced, no_lm):
        leave(demo, someone, D(2025, 6, 1), situations=[(0, "employed")])
    report = _report(demo, project)
    assert _total(report, "EECO01") == 1 and report.incomplete_count == 4
    assert _total(report, "EECR04") == 0
    request = request_for(demo, project, *YEAR)
    assert set(incomplete_participants(request).values_list("pk", flat=True)) == {
        no_gender.pk,
        no_isced.pk,
        no_record.pk,
        no_lm.pk,
    }
    assert complete.pk in _behind(demo, project, "EECO01")


def test_gender_breakdown_with_diverse_as_non_binary(demo: DemoNetwork) -> None:
    project = make_project(demo)
    for gender in ("female", "female", "male", "diverse"):
        person(demo, project, gender=gender)
    values = _report(demo, project).by_code()["EECO01"].values
    assert (values.total, values.women, values.men, values.non_binary) == (4, 2, 1, 1)
    assert len(_behind(demo, project, "EECO01", NON_BINARY)) == 1
    assert (
        len(_behind(demo, project, "EECO01", WOMEN)) == 2 and len(_behind(demo, project, "EECO01", MEN)) == 1
    )


def test_refused_sensitive_answers_with_and_without_the_date_asked(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, disability="yes", minority="refused", sensitive_asked_on=D(2025, 3, 1))
    person(demo, project, disability="refused", foreign_background="yes")  # no date: flagged
    person(demo, project, homeless_or_housing_exclusion="refused", sensitive_asked_on=D(2025, 3, 1))
    report = _report(demo, project)
    codes = report.by_code()
    assert (codes["EECO12"].values.total, codes["EECO12"].refused, codes["EECO12"].unknown) == (1, 1, 1)
    assert (codes["EECO15"].values.total, codes["EECO15"].refused) == (0, 1)
    assert (codes["EECO14"].values.total, codes["EECO16"].refused) == (1, 1)
    assert _total(report, "EECO01") == 3  # refusals keep the record complete (§8.6.8)
    assert _flag(report, "refused_without_date") == 1
    assert len(_behind(demo, project, "EECO12")) == 1


def test_third_country_nationals_by_citizenships_at_entry(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, citizenships="SY")
    person(demo, project, citizenships="SY DE")  # dual citizen with an EU citizenship
    person(demo, project, citizenships="XX")  # stateless
    person(demo, project, citizenships="XU")  # undetermined
    person(demo, project, citizenships="")  # unknown: not counted, not incomplete
    naturalised = person(demo, project, citizenships="AF")
    Participant.objects.filter(pk=naturalised.pk).update(nationality="DE")  # later change
    report = _report(demo, project)
    assert (_total(report, "EECO13"), report.by_code()["EECO13"].unknown, _total(report, "EECO01")) == (
        4,
        1,
        6,
    )


def test_rural_recorded_or_derived_from_the_town(demo: DemoNetwork) -> None:
    from bruecke.esf.models import Municipality

    Municipality.objects.create(lau_code="13071001", name="Dorfheim", name_key="dorfheim", degurba=3)
    Municipality.objects.create(lau_code="13071002", name="Großstadt", name_key="großstadt", degurba=1)
    project = make_project(demo)
    person(demo, project, rural_area=True)
    person(demo, project, rural_area=False, town="Dorfheim")  # the recorded answer wins
    person(demo, project, town="dorfheim ")
    person(demo, project, town="Großstadt")
    person(demo, project, town="Nirgendwo")  # unknown
    report = _report(demo, project)
    assert (_total(report, "EECO17"), report.by_code()["EECO17"].unknown) == (2, 1)


# --- scope, partners, checks, 2014-2020 ------------------------------------------------------


def test_scope_and_project_partners_narrow(demo: DemoNetwork) -> None:
    from tests.indicator_data import partner_scope, team_scope

    project = make_project(demo)
    person(demo, project, partner="A", team="Rostock")
    person(demo, project, partner="B", team="Greifswald")
    other = make_project(demo)
    person(demo, other, partner="A")  # another project: never counted
    assert _total(_report(demo, project), "EECO01") == 2
    partner_a = compute_report(request_for(demo, project, *YEAR, partner_scope(demo, "A")))
    greifswald = compute_report(request_for(demo, project, *YEAR, team_scope(demo, "Greifswald")))
    assert (_total(partner_a, "EECO01"), _total(greifswald, "EECO01")) == (1, 1)
    project.partners.set([demo.partners["B"]])
    assert _total(_report(demo, project), "EECO01") == 1


def test_checks_hold_and_report_their_numbers(demo: DemoNetwork) -> None:
    project = make_project(demo)
    person(demo, project, lm="employed", isced=0)
    person(demo, project, lm="inactive", isced=8)
    report = _report(demo, project)
    assert all(check.holds for check in report.checks)
    assert [check.detail for check in report.checks][:2] == ["2 of 2", "2 of 2"]


def test_esf_2014_variant(demo: DemoNetwork) -> None:
    project = make_project(demo, esf_variant=EsfVariant.ESF_2014)
    person(demo, project, lm="inactive", isced=0, in_education_training=False, birth=(1960, 1, 1))
    person(demo, project, lm="unemployed", isced=2, household_jobless=True, household_dependent_children=True)
    person(demo, project, gender="not_stated")
    migrant = person(
        demo, project, lm="inactive", citizenships="FR", minority="yes", sensitive_asked_on=D(2025, 1, 1)
    )
    leave(demo, migrant, D(2025, 6, 1), situations=[(1, "job_searching")])
    report = _report(demo, project)
    codes = report.by_code()
    assert codes["CO_TOTAL"].values.total == 4 and report.incomplete_count == 1
    assert (
        _total(report, "CO03"),
        _total(report, "CO04"),
        _total(report, "CO07"),
        _total(report, "CO08"),
    ) == (
        2,
        1,
        1,
        1,
    )
    assert (_total(report, "ISCED0"), _total(report, "CO09"), _total(report, "CO13")) == (1, 1, 1)
    assert (_total(report, "CO15"), _total(report, "CR01")) == (3, 1)  # two SY + one FR minority
    assert all(check.holds for check in report.checks)


def test_unknown_code_is_404(demo: DemoNetwork) -> None:
    from django.http import Http404

    project = make_project(demo)
    with pytest.raises(Http404):
        participants_behind(request_for(demo, project, *YEAR), "EECO99")
    with pytest.raises(Http404):
        participants_behind(request_for(demo, project, *YEAR), "EECO01", "everyone")
