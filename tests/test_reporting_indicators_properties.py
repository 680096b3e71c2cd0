"""Properties of the indicator engine over generated participations, and agreement of the
SQL engine with a straightforward Python reference built from bruecke.esf.results."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bruecke.esf import results
from bruecke.network.demo import DemoNetwork
from bruecke.projects.models import LtuRule, PartialBirthDateRule, ResultBase
from bruecke.reporting.indicators import BREAKDOWN, IndicatorReport, compute_report
from tests.indicator_data import (
    D,
    leave,
    make_project,
    open_case,
    partner_scope,
    person,
    request_for,
    team_scope,
)

pytestmark = pytest.mark.django_db
KINDS = sorted({*results.LABOUR_MARKET, *results.IN_EDUCATION})
GENDER_KEY = {"female": "women", "male": "men", "diverse": "non_binary"}


@dataclass
class Exit:
    offset: int  # days after entry
    situations: list[tuple[int, str]]
    follow_ups: list[tuple[int, str, bool]]  # days from the reference date
    qualification: int | None  # days after entry


@dataclass
class Spec:
    gender: str
    birth: tuple[int, int | None, int | None]
    entry: D
    lm: str
    isced: int | None
    since_days: int | None
    partner: str
    exits: list[Exit] = field(default_factory=list)
    still_open: bool = False


def _birth() -> st.SearchStrategy[tuple[int, int | None, int | None]]:
    year = st.integers(1950, 2012)
    return st.one_of(
        st.tuples(year, st.none(), st.none()),
        st.tuples(year, st.integers(1, 12), st.none()),
        st.tuples(year, st.integers(1, 12), st.integers(1, 28)),
        st.tuples(st.sampled_from([1996, 2000, 2004, 2008]), st.just(2), st.just(29)),
    )


EXITS = st.builds(
    Exit,
    offset=st.integers(0, 500),
    situations=st.lists(st.tuples(st.integers(-2, 32), st.sampled_from(KINDS)), max_size=3),
    follow_ups=st.lists(
        st.tuples(st.integers(-35, 35), st.sampled_from(["yes", "no", "no_response"]), st.booleans()),
        max_size=2,
    ),
    qualification=st.one_of(st.none(), st.integers(0, 520)),
)
SPECS = st.builds(
    Spec,
    gender=st.sampled_from(["female", "male", "diverse", "not_stated"]),
    birth=_birth(),
    entry=st.dates(D(2023, 1, 1), D(2025, 12, 31)),
    lm=st.sampled_from(["employed", "unemployed", "unemployed", "inactive", ""]),
    isced=st.one_of(st.none(), st.integers(0, 8)),
    since_days=st.one_of(st.none(), st.integers(0, 800)),
    partner=st.sampled_from(["A", "B"]),
    exits=st.lists(EXITS, max_size=2),
    still_open=st.booleans(),
)
SETTINGS = st.tuples(
    st.sampled_from(LtuRule.values),
    st.sampled_from(PartialBirthDateRule.values),
    st.sampled_from(ResultBase.values),
)
PERIOD = st.tuples(st.dates(D(2023, 1, 1), D(2025, 12, 31)), st.integers(0, 900))
TEAM_OF = {"A": "Rostock", "B": "Greifswald"}


def _build(demo: DemoNetwork, specs: list[Spec], ltu: str, birth_rule: str, base: str) -> object:
    project = make_project(demo, ltu_rule=ltu, partial_birth_date_rule=birth_rule, result_base=base)
    for spec in specs:
        since = spec.entry - datetime.timedelta(days=spec.since_days) if spec.since_days is not None else None
        someone = person(
            demo,
            project,
            partner=spec.partner,
            team=TEAM_OF[spec.partner],
            gender=spec.gender,
            birth=spec.birth,
            entry=spec.entry,
            lm=spec.lm,
            isced=spec.isced,
            since=since if spec.lm == "unemployed" else None,
        )
        for exit_spec in spec.exits:
            exit_date = spec.entry + datetime.timedelta(days=exit_spec.offset)
            reference = results.follow_up_reference_date(exit_date)
            qualification = exit_spec.qualification
            leave(
                demo,
                someone,
                exit_date,
                situations=[(max(o, 0), kind) for o, kind in exit_spec.situations],
                follow_ups=[
                    (reference + datetime.timedelta(days=o), a, i) for o, a, i in exit_spec.follow_ups
                ],
                qualification_on=(
                    spec.entry + datetime.timedelta(days=qualification)
                    if qualification is not None
                    and results.qualification_counts(
                        spec.entry, exit_date, spec.entry + datetime.timedelta(qualification)
                    )
                    else None
                ),
            )
        if spec.still_open:
            open_case(demo, someone)
    return project


# --- the Python reference ------------------------------------------------------------------


def _age(spec: Spec, rule: str) -> int:
    year, month, day = spec.birth
    midpoint = rule == PartialBirthDateRule.MIDPOINT
    if month is None:
        born = (7, 1) if midpoint else (1, 1)
    elif day is None:
        born = (month, 15 if midpoint else 1)
    else:
        born = (month, day)
    return spec.entry.year - year - ((spec.entry.month, spec.entry.day) < born)


def _ltu(spec: Spec, ltu_rule: str, birth_rule: str) -> bool:
    if spec.lm != "unemployed" or spec.since_days is None:
        return False
    since = spec.entry - datetime.timedelta(days=spec.since_days)
    months = 6 if ltu_rule == LtuRule.EU_AGE_DEPENDENT and _age(spec, birth_rule) < 25 else 12
    return spec.entry > results.add_months(since, months)


def _reference(
    specs: list[Spec], start: D, end: D, ltu: str, rule: str, base: str, partner: str | None = None
) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}

    def add(code: str, spec: Spec) -> None:
        row = counts.setdefault(code, dict.fromkeys(BREAKDOWN, 0))
        row["total"] += 1
        row[GENDER_KEY[spec.gender]] += 1

    for spec in specs:
        if (
            (partner and spec.partner != partner)
            or spec.gender == "not_stated"
            or not spec.lm
            or spec.isced is None
        ):
            continue
        age = _age(spec, rule)
        if start <= spec.entry <= end:
            outputs = {
                "EECO01": True,
                "EECO02": spec.lm == "unemployed",
                "EECO03": _ltu(spec, ltu, rule),
                "EECO04": spec.lm == "inactive",
                "EECO05": spec.lm == "employed",
                "EECO06": age < 18,
                "EECO07": 18 <= age <= 29,
                "EECO08": age >= 55,
                "EECO09": spec.isced <= 2,
                "EECO10": 3 <= spec.isced <= 4,
                "EECO11": spec.isced >= 5,
                "EECO13": True,  # generated people are Syrian
            }
            for code, counted in outputs.items():
                if counted:
                    add(code, spec)
        if spec.still_open or not spec.exits:
            continue
        final = max(
            enumerate(spec.exits), key=lambda e: (spec.entry + datetime.timedelta(days=e[1].offset), e[0])
        )[1]
        exit_date = spec.entry + datetime.timedelta(days=final.offset)
        if not start <= exit_date <= end:
            continue
        qualification = (
            spec.entry + datetime.timedelta(days=final.qualification)
            if final.qualification is not None
            else None
        )
        immediate = results.immediate_results(
            entry_date=spec.entry,
            exit_date=exit_date,
            situations=[
                results.Situation(exit_date + datetime.timedelta(days=max(o, 0)), kind, n)
                for n, (o, kind) in enumerate(final.situations)
            ],
            qualification_on=qualification,
        )
        reference = results.follow_up_reference_date(exit_date)
        longer = results.longer_term_results(
            exit_date=exit_date,
            employed_at_entry=spec.lm == "employed",
            answers=[
                results.FollowUpAnswer(reference + datetime.timedelta(days=o), a, i, n)
                for n, (o, a, i) in enumerate(final.follow_ups)
            ],
        )
        in_base = not (base == ResultBase.TRANSITION and spec.lm == "employed")
        for code in immediate.codes:
            if code != results.EECR04 or in_base:
                add(code, spec)
        if longer is not None and reference <= end:
            if results.EECR05 in longer and in_base:
                add(results.EECR05, spec)
            if results.EECR06 in longer:
                add(results.EECR06, spec)
    return counts


def _engine(report: IndicatorReport) -> dict[str, dict[str, int]]:
    return {
        item.code: {key: item.values.get(key) for key in BREAKDOWN}
        for item in report.indicators
        if item.values.total and item.code not in ("EECO12", "EECO14", "EECO15", "EECO16", "EECO17")
    }


def _period(period: tuple[D, int]) -> tuple[D, D]:
    return period[0], min(period[0] + datetime.timedelta(days=period[1]), D(2027, 12, 31))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(SPECS, max_size=8), choice=SETTINGS, period=PERIOD)
def test_sql_engine_agrees_with_the_python_reference(
    demo: DemoNetwork, specs: list[Spec], choice: tuple[str, str, str], period: tuple[D, int]
) -> None:
    start, end = _period(period)
    with transaction.atomic():
        project = _build(demo, specs, *choice)
        report = compute_report(request_for(demo, project, start, end))  # type: ignore[arg-type]
        partner_a = compute_report(request_for(demo, project, start, end, partner_scope(demo, "A")))  # type: ignore[arg-type]
        transaction.set_rollback(True)
    assert _engine(report) == _reference(specs, start, end, *choice)
    assert _engine(partner_a) == _reference(specs, start, end, *choice, partner="A")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=st.lists(SPECS, max_size=8), choice=SETTINGS, period=PERIOD, cut=st.integers(0, 400))
def test_checks_sums_and_narrowing(
    demo: DemoNetwork, specs: list[Spec], choice: tuple[str, str, str], period: tuple[D, int], cut: int
) -> None:
    start, end = _period(period)
    shorter = min(end, start + datetime.timedelta(days=cut))
    with transaction.atomic():
        project = _build(demo, specs, *choice)
        network = compute_report(request_for(demo, project, start, end))  # type: ignore[arg-type]
        narrower = [
            compute_report(request_for(demo, project, start, end, partner_scope(demo, "A"))),  # type: ignore[arg-type]
            compute_report(request_for(demo, project, start, end, team_scope(demo, "Greifswald"))),  # type: ignore[arg-type]
            compute_report(request_for(demo, project, start, shorter)),  # type: ignore[arg-type]
        ]
        transaction.set_rollback(True)
    assert all(check.holds for check in network.checks)
    codes = network.by_code()
    for item in network.indicators:
        v = item.values
        assert v.total == v.women + v.men + v.non_binary, item.code
        assert v.total <= codes["EECO01"].values.total or item.group != "output"
    for code in ("EECO02", "EECO03"):
        assert codes["EECO03"].values.total <= codes["EECO02"].values.total <= codes["EECO01"].values.total, (
            code
        )
    for smaller in narrower:
        for item in smaller.indicators:
            assert item.values.total <= codes[item.code].values.total, item.code
        assert smaller.incomplete_count <= network.incomplete_count
