"""Citation precision and examined exceptions (table-driven, like tests/test_rules_engine.py).

Every exception the engine examines for a safe-country ban is a ground of topic
"exception" (applied / not met / open) naming its cut-off day; cases sit on both sides of
each cut-off (31 Aug 2015, 1 Jan 2020, 30 Aug 2023, 6 May 2025, 11 Jun 2026) and of the
days the exceptions came into force. Where BA approval is part of the answer, the
conditions of the approval are cited (§ 39(3) Nr. 1, § 40(1) Nr. 1 AufenthG, § 36(2) BeschV).
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bruecke.rules.datacheck import precise
from bruecke.rules.engine import assess
from bruecke.rules.ruledata import DATA_DIR, RuleDataError, load
from bruecke.rules.types import Activity as A
from bruecke.rules.types import Answer, AsylumOutcome, NotCovered, StatusPeriod
from tests.test_rules_engine import BAN, DUL, GEST, PERM, REJECTED, WAIT, Case, D, _cited, facts
from tests.test_rules_properties import facts_strategy, ref_dates

APPLIED, NOT_MET, OPEN = "exception_applied", "exception_not_met", "exception_open"
WITHDRAWN = {"asylum_outcome": AsylumOutcome.WITHDRAWN}
NEVER_APPLIED = {"asylum_outcome": AsylumOutcome.NONE, "asylum_applied_on": None}


def _georgian_duldung(applied: datetime.date) -> dict[str, object]:
    return dict(DUL, nationality="GE", asylum_applied_on=applied, stay_since=applied)


def _georgian_never_applied(since: datetime.date) -> dict[str, object]:
    return dict(DUL, **NEVER_APPLIED, nationality="GE", status_since=since, stay_since=since)


def _moroccan(since: datetime.date, **kw: object) -> dict[str, object]:
    return dict(DUL, nationality="MA", asylum_applied_on=D(2024, 1, 1), status_since=since, **kw)


def _albanian_duldung(applied: datetime.date, **kw: object) -> dict[str, object]:
    base = {"status_since": D(2016, 1, 1), "stay_since": applied, "asylum_applied_on": applied, **REJECTED}
    return {**base, "nationality": "AL", **kw}


def _albanian_gestattung(applied: datetime.date) -> dict[str, object]:
    return dict(GEST, nationality="AL", asylum_applied_on=applied, status_since=applied, stay_since=applied)


EARLIER_DULDUNG = StatusPeriod("duldung_60a", D(2025, 1, 1), D(2025, 5, 31))

# (case, exceptions that must be grounds as (code, detail), exception names never examined)
ExceptionCase = tuple[Case, set[tuple[str, str]], set[str]]

EXCEPTION_CASES: list[ExceptionCase] = [
    # --- § 87d AsylG: Georgian asylum seekers who applied by 30 Aug 2023
    (
        Case(
            "Georgian applicant on the cut-off day keeps access",
            facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 8, 30))),
            A.EMPLOYMENT,
            D(2023, 12, 23),
            PERM,
            cites=("§ 87d AsylG@2023-12-23", "§ 61 Abs. 2 S. 4 AsylG@2015-10-24"),
        ),
        {(APPLIED, "grandfathered_applied_by@2023-08-30"), (NOT_MET, "applied_before@2015-08-31")},
        set(),
    ),
    (
        Case(
            "Georgian applicant the day after the cut-off is banned, § 87d cited",
            facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 8, 31))),
            A.EMPLOYMENT,
            D(2023, 12, 23),
            BAN,
            "ban",
            cites=("§ 87d AsylG@2023-12-23", "§ 61 Abs. 2 S. 4 AsylG@2015-10-24"),
        ),
        {(NOT_MET, "grandfathered_applied_by@2023-08-30")},
        set(),
    ),
    (
        Case(
            "Georgian applicant the day before listing: nothing examined",
            facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 8, 31))),
            A.EMPLOYMENT,
            D(2023, 12, 22),
            PERM,
        ),
        set(),
        {"grandfathered_applied_by", "applied_before"},
    ),
    # --- § 104(18) Nr. 1 AufenthG: Georgian Geduldete
    (
        Case(
            "duldung Georgian applied on the cut-off day keeps access",
            facts("duldung_60a", **_georgian_duldung(D(2023, 8, 30))),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            PERM,
            cites=("§ 104 Abs. 18 Nr. 1 AufenthG@2023-12-23",),
        ),
        {
            (APPLIED, "grandfathered_applied_by@2023-08-30"),
            (NOT_MET, "grandfathered_tolerated_without_application@2023-08-30"),
        },
        set(),
    ),
    (
        Case(
            "duldung Georgian applied the day after the cut-off is banned",
            facts("duldung_60a", **_georgian_duldung(D(2023, 8, 31)), protected_in_other_state=False),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            BAN,
            cites=("§ 104 Abs. 18 Nr. 1 AufenthG@2023-12-23", "§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2022-12-31"),
        ),
        {
            (NOT_MET, "grandfathered_applied_by@2023-08-30"),
            (NOT_MET, "grandfathered_tolerated_without_application@2023-08-30"),
            (NOT_MET, "other_state_protection"),
        },
        set(),
    ),
    (
        Case(
            "duldung Georgian geduldet without application on the cut-off day keeps access",
            facts("duldung_60a", **_georgian_never_applied(D(2023, 8, 30))),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            PERM,
            cites=("§ 104 Abs. 18 Nr. 1 AufenthG@2023-12-23",),
        ),
        {(APPLIED, "grandfathered_tolerated_without_application@2023-08-30")},
        {"old_version"},  # no ban left: the § 104(16) question is not asked
    ),
    (
        Case(
            "duldung Georgian geduldet only after the cut-off day: banned, § 104(16) open",
            facts("duldung_60a", **_georgian_never_applied(D(2023, 8, 31))),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            BAN,
            cites=("§ 104 Abs. 16 AufenthG@2020-01-01", "§ 104 Abs. 18 Nr. 1 AufenthG@2023-12-23"),
            flags=("old_version_104_16",),
        ),
        {
            (NOT_MET, "grandfathered_tolerated_without_application@2023-08-30"),
            (OPEN, "old_version@2020-01-01"),
        },
        set(),
    ),
    (
        Case(
            "duldung Georgian with work permitted before 1 Jan 2020: § 104(16) applies",
            facts(
                "duldung_60a",
                **_georgian_never_applied(D(2023, 8, 31)),
                judgements={"old_version_104_16": True},
            ),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            PERM,
            cites=("§ 104 Abs. 16 AufenthG@2020-01-01",),
        ),
        {(APPLIED, "old_version@2020-01-01")},
        set(),
    ),
    (
        Case(
            "duldung Georgian without work before 1 Jan 2020: § 104(16) not met",
            facts(
                "duldung_60a",
                **_georgian_never_applied(D(2023, 8, 31)),
                judgements={"old_version_104_16": False},
            ),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            BAN,
        ),
        {(NOT_MET, "old_version@2020-01-01")},
        set(),
    ),
    # --- § 104(18) Nr. 2 AufenthG: EU-list nationals (6 May 2025 / 11 Jun 2026)
    (
        Case(
            "duldung Moroccan geduldet on 6 May 2025 keeps access",
            facts(
                "duldung_60a",
                **_moroccan(
                    D(2025, 6, 1), history=(StatusPeriod("duldung_60a", D(2025, 1, 1), D(2025, 5, 31)),)
                ),
            ),
            A.EMPLOYMENT,
            D(2026, 7, 29),
            PERM,
            cites=("§ 104 Abs. 18 Nr. 2 AufenthG@2026-07-29",),
        ),
        {
            (APPLIED, "grandfathered_tolerated_on@2025-05-06"),
            (NOT_MET, "grandfathered_work_permission_on@2026-06-11"),
        },
        set(),
    ),
    (
        Case(
            "duldung Moroccan geduldet from 7 May 2025 is banned",
            facts("duldung_60a", **_moroccan(D(2025, 5, 7))),
            A.EMPLOYMENT,
            D(2026, 7, 29),
            BAN,
            cites=("§ 104 Abs. 18 Nr. 2 AufenthG@2026-07-29", "Art. 61, 62 VO (EU) 2024/1348@2026-06-12"),
        ),
        {
            (NOT_MET, "grandfathered_tolerated_on@2025-05-06"),
            (NOT_MET, "grandfathered_work_permission_on@2026-06-11"),
        },
        set(),
    ),
    (
        Case(
            "duldung Moroccan holding a work permission on 11 Jun 2026 keeps access",
            facts("duldung_60a", **_moroccan(D(2025, 6, 1), work_permission_on=(D(2026, 6, 11),))),
            A.EMPLOYMENT,
            D(2026, 8, 1),
            PERM,
            cites=("§ 104 Abs. 18 Nr. 2 AufenthG@2026-07-29",),
        ),
        {(APPLIED, "grandfathered_work_permission_on@2026-06-11")},
        set(),
    ),
    (
        Case(
            "duldung Moroccan with a work permission only from 12 Jun 2026 is banned",
            facts("duldung_60a", **_moroccan(D(2025, 6, 1), work_permission_on=(D(2026, 6, 12),))),
            A.EMPLOYMENT,
            D(2026, 8, 1),
            BAN,
        ),
        {(NOT_MET, "grandfathered_work_permission_on@2026-06-11")},
        set(),
    ),
    (
        Case(
            "duldung Moroccan the day before the EU list counts: nothing examined",
            facts("duldung_60a", **_moroccan(D(2025, 5, 7))),
            A.EMPLOYMENT,
            D(2026, 7, 28),
            PERM,
            flags=("eu_list_uncertain",),
        ),
        set(),
        {"grandfathered_tolerated_on", "grandfathered_work_permission_on", "applied_before"},
    ),
    # --- the cut-off of the bans themselves: applications after 31 Aug 2015
    (
        Case(
            "duldung Albanian applied on 31 Aug 2015: not banned",
            facts("duldung_60a", **_albanian_duldung(D(2015, 8, 31))),
            A.EMPLOYMENT,
            D(2016, 3, 1),
            PERM,
            cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2015-10-24",),
        ),
        {(APPLIED, "applied_before@2015-08-31")},
        {"grandfathered_applied_by"},
    ),
    (
        Case(
            "duldung Albanian applied on 1 Sep 2015: banned",
            facts("duldung_60a", **_albanian_duldung(D(2015, 9, 1))),
            A.EMPLOYMENT,
            D(2016, 3, 1),
            BAN,
            cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2015-10-24", "Anlage II zu § 29a AsylG@2015-10-24"),
        ),
        {(NOT_MET, "applied_before@2015-08-31")},
        {"other_state_protection", "withdrawn_after_legal_information"},
    ),
    (
        Case(
            "gestattung Albanian applied on 31 Aug 2015: not banned",
            facts("gestattung", **_albanian_gestattung(D(2015, 8, 31))),
            A.EMPLOYMENT,
            D(2016, 3, 1),
            PERM,
            cites=("§ 61 Abs. 2 S. 4 AsylG@2015-10-24",),
        ),
        {(APPLIED, "applied_before@2015-08-31")},
        set(),
    ),
    (
        Case(
            "gestattung Albanian applied on 1 Sep 2015: banned",
            facts("gestattung", **_albanian_gestattung(D(2015, 9, 1))),
            A.EMPLOYMENT,
            D(2016, 3, 1),
            BAN,
            cites=("§ 61 Abs. 2 S. 4 AsylG@2015-10-24",),
        ),
        {(NOT_MET, "applied_before@2015-08-31")},
        set(),
    ),
    # --- § 60a(6) S. 1 Nr. 3: withdrawn applications count from 1 Jan 2020
    (
        Case(
            "duldung Albanian withdrawn before 2020: not examined",
            facts("duldung_60a", **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN)),
            A.EMPLOYMENT,
            D(2019, 12, 31),
            PERM,
        ),
        set(),
        {"withdrawn_after_legal_information", "applied_before"},
    ),
    (
        Case(
            "duldung Albanian withdrawn after the legal information: not banned",
            facts(
                "duldung_60a",
                **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN, withdrawn_after_legal_information=True),
            ),
            A.EMPLOYMENT,
            D(2020, 1, 1),
            PERM,
            cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2020-01-01",),
        ),
        {(NOT_MET, "applied_before@2015-08-31"), (APPLIED, "withdrawn_after_legal_information")},
        set(),
    ),
    (
        Case(
            "duldung Albanian withdrawn without the legal information: banned",
            facts(
                "duldung_60a",
                **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN),
                withdrawn_after_legal_information=False,
            ),
            A.EMPLOYMENT,
            D(2020, 1, 1),
            BAN,
        ),
        {(NOT_MET, "withdrawn_after_legal_information")},
        {"other_state_protection"},
    ),
    # --- § 60a(6) S. 3: unaccompanied minors (a judgement question)
    (
        Case(
            "unaccompanied minor withdrawn: the child's interest is open",
            facts("duldung_60a", **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN, unaccompanied_minor=True)),
            A.EMPLOYMENT,
            D(2021, 1, 1),
            BAN,
            cites=("§ 60a Abs. 6 S. 3 AufenthG@2020-01-01",),
            flags=("minor_child_interest",),
        ),
        {(OPEN, "minor_child_interest")},
        set(),
    ),
    (
        Case(
            "unaccompanied minor withdrawn in the child's interest: not banned",
            facts(
                "duldung_60a",
                **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN, unaccompanied_minor=True),
                judgements={"minor_child_interest": True},
            ),
            A.EMPLOYMENT,
            D(2021, 1, 1),
            PERM,
        ),
        {(APPLIED, "minor_child_interest")},
        set(),
    ),
    (
        Case(
            "unaccompanied minor withdrawn not in the child's interest: banned",
            facts(
                "duldung_60a",
                **_albanian_duldung(D(2016, 2, 1), **WITHDRAWN, unaccompanied_minor=True),
                judgements={"minor_child_interest": False},
            ),
            A.EMPLOYMENT,
            D(2021, 1, 1),
            BAN,
        ),
        {(NOT_MET, "minor_child_interest")},
        set(),
    ),
    # --- § 60a(6) S. 4: protection in another member state (since 31 Dec 2022)
    (
        Case(
            "protected elsewhere the day before S. 4: not examined, banned",
            facts("duldung_60a", **dict(DUL, nationality="AL", protected_in_other_state=True)),
            A.EMPLOYMENT,
            D(2022, 12, 30),
            BAN,
        ),
        {(NOT_MET, "applied_before@2015-08-31")},
        {"other_state_protection"},
    ),
    (
        Case(
            "protected elsewhere on the S. 4 day: exception applies",
            facts("duldung_60a", **dict(DUL, nationality="AL", protected_in_other_state=True)),
            A.EMPLOYMENT,
            D(2022, 12, 31),
            PERM,
            cites=("§ 60a Abs. 6 S. 4 AufenthG@2022-12-31",),
        ),
        {(APPLIED, "other_state_protection")},
        set(),
    ),
    (
        Case(
            "not protected elsewhere on the S. 4 day: exception not met",
            facts("duldung_60a", **dict(DUL, nationality="AL", protected_in_other_state=False)),
            A.EMPLOYMENT,
            D(2022, 12, 31),
            BAN,
            cites=("§ 60a Abs. 6 S. 4 AufenthG@2022-12-31",),
        ),
        {(NOT_MET, "other_state_protection")},
        set(),
    ),
    # --- no list names the nationality: no exception is examined
    (
        Case(
            "Syrian Geduldeter: no exception examined",
            facts("duldung_60a", **DUL),
            A.EMPLOYMENT,
            D(2026, 8, 1),
            PERM,
        ),
        set(),
        {"applied_before", "other_state_protection", "grandfathered_tolerated_on"},
    ),
]

# Where BA approval is part of the answer, its conditions are cited; elsewhere they are not.
BA_CASES: list[tuple[Case, tuple[str, ...]]] = [
    (
        Case(
            "duldung job with BA approval cites § 39(3) Nr. 1",
            facts("duldung_60a", **DUL),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            PERM,
            ba=True,
            cites=(
                "§ 32 Abs. 1 BeschV@2023-11-18",
                "§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",
                "§ 40 Abs. 1 Nr. 1 AufenthG@2013-07-01",
                "§ 36 Abs. 2 BeschV@2020-03-01",
                "§ 4a Abs. 4 AufenthG@2024-03-01",
            ),
        ),
        ("§ 39 Abs. 2 AufenthG a.F.@2013-07-01",),
    ),
    (
        Case(
            "duldung job on the FEG day cites § 39(3) Nr. 1",
            facts("duldung_60a", **dict(DUL, status_since=D(2019, 1, 1), stay_since=D(2018, 6, 1))),
            A.EMPLOYMENT,
            D(2020, 3, 1),
            PERM,
            ba=True,
            cites=("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01", "§ 4a Abs. 4 AufenthG@2020-03-01"),
        ),
        ("§ 39 Abs. 2 AufenthG a.F.@2013-07-01",),
    ),
    (
        Case(
            "duldung job the day before the FEG cites § 39(2) old version",
            facts("duldung_60a", **dict(DUL, status_since=D(2019, 1, 1), stay_since=D(2018, 6, 1))),
            A.EMPLOYMENT,
            D(2020, 2, 29),
            PERM,
            ba=True,
            cites=(
                "§ 39 Abs. 2 AufenthG a.F.@2013-07-01",
                "§ 40 Abs. 1 Nr. 1 AufenthG@2013-07-01",
                "§ 36 Abs. 2 BeschV@2013-07-01",
                "§ 4 Abs. 3 AufenthG a.F.@2013-07-01",
            ),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",),
    ),
    (
        Case(
            "gestattung job with BA approval cites the approval's conditions",
            facts("gestattung", **GEST),
            A.EMPLOYMENT,
            D(2023, 10, 1),
            PERM,
            ba=True,
            cites=("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01", "§ 36 Abs. 2 BeschV@2020-03-01"),
        ),
        (),
    ),
    (
        Case(
            "gestattung job still waiting cites the approval's conditions",
            facts("gestattung", **GEST),
            A.EMPLOYMENT,
            D(2023, 4, 1),
            WAIT,
            ba=True,
            earliest=D(2023, 6, 1),
            cites=("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01", "§ 61 Abs. 2 AsylG@2015-10-24"),
        ),
        (),
    ),
    (
        Case(
            "duldung dual training is BA-free: no § 39",
            facts("duldung_60a", **DUL),
            A.DUAL_TRAINING,
            D(2024, 5, 1),
            PERM,
            ba=False,
            cites=("§ 32 Abs. 2 Nr. 2 BeschV@2023-11-18",),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01", "§ 36 Abs. 2 BeschV@2020-03-01"),
    ),
    (
        Case(
            "duldung orientation internship is BA-free: § 32(2) Nr. 1",
            facts("duldung_60a", **DUL),
            A.INTERNSHIP_ORIENTATION,
            D(2024, 5, 1),
            PERM,
            ba=False,
            cites=("§ 32 Abs. 2 Nr. 1 BeschV@2023-11-18", "§ 22 Abs. 1 MiLoG@2015-01-01"),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",),
    ),
    (
        Case(
            "duldung job after four years is BA-free: § 32(2) Nr. 5",
            facts("duldung_60a", **dict(DUL, stay_since=D(2019, 1, 1))),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            PERM,
            ba=False,
            cites=("§ 32 Abs. 2 Nr. 5 BeschV@2023-11-18",),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",),
    ),
    (
        Case(
            "refugee works by § 4a(1)",
            facts("ae_25_2_refugee"),
            A.EMPLOYMENT,
            D(2024, 5, 1),
            "allowed",
            ba=False,
            cites=("§ 4a Abs. 1 AufenthG@2024-03-01", "§ 25 Abs. 1, 2 AufenthG@2020-03-01"),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",),
    ),
    (
        Case(
            "§ 25(4a) title: permission by § 4a(2), BA-free by § 31 BeschV",
            facts("ae_25_4ab"),
            A.EMPLOYMENT,
            D(2020, 3, 1),
            PERM,
            ba=False,
            cites=(
                "§ 4a Abs. 2 AufenthG@2020-03-01",
                "§ 25 Abs. 4a, 4b AufenthG@2020-03-01",
                "§ 31 BeschV@2020-03-01",
            ),
        ),
        ("§ 39 Abs. 3 Nr. 1 AufenthG@2020-03-01",),
    ),
    (
        Case(
            "§ 25(4a) title the day before the FEG: § 4(2) old version",
            facts("ae_25_4ab"),
            A.EMPLOYMENT,
            D(2020, 2, 29),
            PERM,
            ba=False,
            cites=("§ 4 Abs. 2 AufenthG a.F.@2013-07-01", "§ 25 Abs. 4a, 4b AufenthG@2013-07-01"),
        ),
        (),
    ),
    (
        Case(
            "§ 60c training: permission by § 60c(1) S. 3",
            facts("duldung_60c", **DUL),
            A.DUAL_TRAINING,
            D(2024, 5, 1),
            "needs_permission",
            cites=("§ 60c Abs. 1 S. 3 AufenthG@2020-01-01",),
        ),
        (),
    ),
    (
        Case(
            "gestattung self-employment banned by § 4a(4)",
            facts("gestattung", **GEST),
            A.SELF_EMPLOYMENT,
            D(2024, 5, 1),
            BAN,
            cites=("§ 4a Abs. 4 AufenthG@2024-03-01",),
        ),
        (),
    ),
]


def _exceptions(answer: Answer) -> set[tuple[str, str]]:
    return {(g.code, g.detail) for g in answer.grounds if g.topic == "exception"}


def _check(case: Case, answer: Answer) -> None:
    assert answer.outcome == case.outcome, answer.grounds
    if case.decision:
        assert answer.decision == case.decision
    if case.ba is not None:
        assert answer.ba_approval is case.ba
    assert answer.earliest == case.earliest
    assert set(case.cites) <= _cited(answer), _cited(answer)
    assert set(case.flags) <= {f.code for f in answer.flags}


@pytest.mark.parametrize(
    ("case", "expected", "absent"), EXCEPTION_CASES, ids=[c[0].id for c in EXCEPTION_CASES]
)
def test_examined_exceptions_are_cited(case: Case, expected: set[tuple[str, str]], absent: set[str]) -> None:
    answer = assess(case.facts, case.activity, case.on)
    _check(case, answer)
    found = _exceptions(answer)
    assert expected <= found, found
    assert not {detail.partition("@")[0] for _code, detail in found} & absent, found
    for ground in answer.grounds:
        if ground.topic == "exception":
            assert ground.citations, ground  # every examined exception names its norm


@pytest.mark.parametrize(("case", "not_cited"), BA_CASES, ids=[c[0].id for c in BA_CASES])
def test_ba_approval_cites_its_conditions(case: Case, not_cited: tuple[str, ...]) -> None:
    answer = assess(case.facts, case.activity, case.on)
    _check(case, answer)
    assert not set(not_cited) & _cited(answer)
    ba_grounds = [g for g in answer.grounds if g.topic == "ba"]
    conditions = {"§ 39 Abs. 3 Nr. 1 AufenthG", "§ 39 Abs. 2 AufenthG a.F."}
    cites_conditions = any(c.norm in conditions for g in ba_grounds for c in g.citations)
    assert cites_conditions is answer.ba_approval


def test_enough_new_cases() -> None:
    assert len(EXCEPTION_CASES) + len(BA_CASES) >= 40


@settings(max_examples=400, deadline=None)
@given(facts=facts_strategy, activity=st.sampled_from(list(A)), on=ref_dates)
def test_no_citation_lacks_its_absatz(facts: object, activity: A, on: datetime.date) -> None:
    try:
        answer = assess(facts, activity, on)  # type: ignore[arg-type]
    except NotCovered:
        return
    for citation in answer.citations:
        assert precise(citation.norm), citation.norm


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("§ 4a Abs. 1 AufenthG", True),
        ("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG", True),
        ("§ 4 Abs. 3 AufenthG a.F.", True),
        ("§ 31 BeschV", True),  # no Absätze
        ("Anlage II zu § 29a AsylG", True),
        ("Art. 61, 62 VO (EU) 2024/1348", True),
        ("§ 4a AufenthG", False),
        ("§ 32 BeschV", False),
        ("§ 60c AufenthG", False),
        ("Abs. 1 AufenthG", False),
    ],
)
def test_precise(name: str, ok: bool) -> None:
    assert precise(name) is ok


def test_rule_data_without_absatz_are_refused(tmp_path: Path) -> None:
    for source in DATA_DIR.glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    load(tmp_path)  # the copy itself is fine
    norms = tmp_path / "norms.toml"
    norms.write_text(norms.read_text() + '\n[norms."§ 99 AufenthG"]\nversions = [{ since = 2020-03-01 }]\n')
    with pytest.raises(RuleDataError, match="without its Absatz"):
        load(tmp_path)
