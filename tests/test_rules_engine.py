"""Table-driven tests of the work-permission engine, written from the statutes as
summarised in /work/shared/design/work-permission-law.md (facts + reference date →
expected outcome, decision, authority, BA approval, earliest date and citations).

Citations are written "norm@valid-from"; a case lists the citations it must contain.
"""

from __future__ import annotations

import datetime
import importlib
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bruecke.rules.engine import assess, period_end
from bruecke.rules.ruledata import DATA_DIR, RuleDataError, load, rule_data
from bruecke.rules.types import Activity as A
from bruecke.rules.types import AsylumOutcome, Facts, NotCovered, StatusPeriod

D = datetime.date
OUT = "allowed"
PERM = "needs_permission"
WAIT = "not_yet"
BAN = "banned"


def facts(status: str, **kw: Any) -> Facts:
    kw.setdefault("status_since", D(2021, 1, 1))
    kw.setdefault("nationality", "SY")
    return Facts(status=status, **kw)


REJECTED = {"asylum_outcome": AsylumOutcome.REJECTED}


@dataclass(frozen=True)
class Case:
    id: str
    facts: Facts
    activity: A
    on: datetime.date
    outcome: str
    decision: str = ""
    authority: str = ""
    ba: bool | None = None
    earliest: datetime.date | None = None
    cites: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    no_flags: tuple[str, ...] = ()
    waits: dict[str, datetime.date] = field(default_factory=dict)  # code → last day
    priority: str = ""  # the BA's priority check: required / none / open / not_applicable


GEST_EAE = {"reception_centre": True, "asylum_applied_on": D(2023, 3, 1), "status_since": D(2023, 3, 1)}
GEST = {"asylum_applied_on": D(2023, 3, 1), "status_since": D(2023, 3, 1), "stay_since": D(2023, 3, 1)}
MOROCCAN = {"nationality": "MA", "asylum_applied_on": D(2024, 1, 1), "status_since": D(2026, 1, 1)}
DUL = {
    "status_since": D(2022, 1, 1),
    "stay_since": D(2021, 6, 1),
    "asylum_applied_on": D(2021, 6, 1),
    **REJECTED,
}

CASES = [
    # --- residence titles: work by law (§ 4a(1) AufenthG)
    Case(
        "refugee employment 2023",
        facts("ae_25_2_refugee"),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 4a Abs. 1 AufenthG@2020-03-01", "§ 25 Abs. 1, 2 AufenthG@2020-03-01"),
    ),
    Case(
        "refugee self-employment 2026",
        facts("ae_25_2_refugee"),
        A.SELF_EMPLOYMENT,
        D(2026, 8, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 4a Abs. 1 AufenthG@2024-03-01",),
    ),
    Case(
        "subsidiary protection internship",
        facts("ae_25_2_subsidiary"),
        A.INTERNSHIP_ORIENTATION,
        D(2026, 8, 1),
        OUT,
    ),
    Case("§ 25(4) employment", facts("ae_25_4"), A.EMPLOYMENT, D(2023, 10, 1), OUT, "by_law"),
    Case("§ 25(5) self-employment", facts("ae_25_5"), A.SELF_EMPLOYMENT, D(2023, 10, 1), OUT, "by_law"),
    Case(
        "§ 16a training is its purpose",
        facts("ae_16a"),
        A.DUAL_TRAINING,
        D(2023, 10, 1),
        OUT,
        flags=("purpose_of_title",),
    ),
    Case(
        "§ 16a training judged not the title's",
        facts("ae_16a", judgements={"purpose_of_title": False}),
        A.DUAL_TRAINING,
        D(2023, 10, 1),
        PERM,
        "discretion",
        "abh",
        False,
    ),
    Case(
        "national ban on deportation internship",
        facts("ae_25_3"),
        A.INTERNSHIP_OTHER,
        D(2024, 5, 1),
        OUT,
        "by_law",
        "none",
        False,
    ),
    Case("asylum-entitled dual training", facts("ae_25_1"), A.DUAL_TRAINING, D(2021, 9, 1), OUT, "by_law"),
    Case("settlement permit employment", facts("niederlassung"), A.EMPLOYMENT, D(2024, 5, 1), OUT, "by_law"),
    Case(
        "EU citizen self-employment",
        facts("eu", nationality="PL"),
        A.SELF_EMPLOYMENT,
        D(2024, 5, 1),
        OUT,
        cites=("§ 2 Abs. 1 FreizügG/EU@2020-03-01",),
    ),
    Case(
        "§ 25a volunteer service",
        facts("ae_25a"),
        A.VOLUNTEER_SERVICE,
        D(2023, 10, 1),
        OUT,
        cites=("§ 25a Abs. 1 AufenthG@2022-12-31",),
    ),
    Case(
        "§ 25b self-employment",
        facts("ae_25b"),
        A.SELF_EMPLOYMENT,
        D(2024, 5, 1),
        OUT,
        cites=("§ 25b Abs. 1 AufenthG@2022-12-31",),
    ),
    # § 24: permission (BA-free) until 31 May 2022, by law from 1 Jun 2022
    Case(
        "§ 24 employment day before change",
        facts("ae_24", nationality="UA"),
        A.EMPLOYMENT,
        D(2022, 5, 31),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 24 Abs. 6 AufenthG a.F.@2020-03-01", "§ 31 BeschV@2020-03-01"),
        flags=("old_24_wording",),
    ),
    Case(
        "§ 24 employment on change day",
        facts("ae_24", nationality="UA"),
        A.EMPLOYMENT,
        D(2022, 6, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 24 Abs. 1 AufenthG@2022-06-01",),
    ),
    Case(
        "§ 24 self-employment before change",
        facts("ae_24", nationality="UA"),
        A.SELF_EMPLOYMENT,
        D(2022, 5, 1),
        PERM,
        "discretion",
        "abh",
    ),
    Case(
        "§ 104c on first day",
        facts("ae_104c", status_since=D(2022, 12, 31)),
        A.EMPLOYMENT,
        D(2022, 12, 31),
        OUT,
        cites=("§ 104c Abs. 1 AufenthG@2022-12-31",),
        no_flags=("transitional_104c",),
    ),
    Case(
        "§ 104c after sunset",
        facts("ae_104c", status_since=D(2023, 2, 1)),
        A.EMPLOYMENT,
        D(2026, 1, 1),
        OUT,
        cites=("§ 104c Abs. 1 AufenthG@2026-01-01",),
        flags=("transitional_104c",),
    ),
    Case(
        "§ 25(4a) needs permission, BA-free",
        facts("ae_25_4ab"),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 31 BeschV@2020-03-01",),
    ),
    Case(
        "§ 16g training is its purpose",
        facts("ae_16g", status_since=D(2024, 3, 1)),
        A.DUAL_TRAINING,
        D(2024, 3, 1),
        OUT,
        cites=("§ 16g Abs. 1 AufenthG@2024-03-01",),
        flags=("purpose_of_title",),
    ),
    Case(
        "§ 16g other job needs permission",
        facts("ae_16g", status_since=D(2024, 3, 1)),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 4a Abs. 3 AufenthG@2024-03-01",),
    ),
    Case("§ 18a/b employment is its purpose", facts("ae_18ab"), A.EMPLOYMENT, D(2023, 10, 1), OUT),
    Case(
        "§ 19d training is not its purpose",
        facts("ae_19d"),
        A.DUAL_TRAINING,
        D(2023, 10, 1),
        PERM,
        "discretion",
        "abh",
        False,
    ),
    # --- § 60b: absolute ban
    Case(
        "§ 60b employment",
        facts("duldung_60b"),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        BAN,
        "ban",
        "none",
        False,
        cites=("§ 60b Abs. 5 S. 2 AufenthG@2019-08-21",),
    ),
    Case("§ 60b dual training", facts("duldung_60b"), A.DUAL_TRAINING, D(2026, 8, 1), BAN, "ban"),
    Case(
        "§ 60b unpaid volunteering stays possible, flagged",
        facts("duldung_60b"),
        A.VOLUNTEERING,
        D(2024, 5, 1),
        OUT,
        "by_law",
        flags=("ban_not_employment", "volunteering_character"),
    ),
    Case(
        "§ 60b school-based training",
        facts("duldung_60b"),
        A.SCHOOL_TRAINING,
        D(2024, 5, 1),
        OUT,
        cites=("BMI-Anwendungshinweise 20.12.2019@2019-12-20",),
        flags=("ban_not_employment",),
    ),
    # --- Gestattung in a reception centre: 9 months (until 26 Feb 2024), 6 months, GEAS 3 months
    Case(
        "EAE gestattung 2023 waits 9 months",
        facts("gestattung", **GEST_EAE),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        WAIT,
        "entitlement",
        "central_abh",
        True,
        D(2023, 12, 1),
        cites=("§ 61 Abs. 1 AsylG@2019-08-21",),
        waits={"eae_asylum": D(2023, 11, 30)},
    ),
    Case(
        "EAE gestattung last day of waiting",
        facts("gestattung", **GEST_EAE),
        A.EMPLOYMENT,
        D(2023, 11, 30),
        WAIT,
        earliest=D(2023, 12, 1),
    ),
    Case(
        "EAE gestattung first day after waiting",
        facts("gestattung", **GEST_EAE),
        A.EMPLOYMENT,
        D(2023, 12, 1),
        PERM,
        "entitlement",
        "central_abh",
        True,
    ),
    Case(
        "EAE gestattung day before RückfVerbG: earliest follows the change",
        facts(
            "gestattung", reception_centre=True, asylum_applied_on=D(2023, 10, 1), status_since=D(2023, 10, 1)
        ),
        A.EMPLOYMENT,
        D(2024, 2, 26),
        WAIT,
        earliest=D(2024, 4, 1),
        cites=("§ 61 Abs. 1 AsylG@2019-08-21",),
        waits={"eae_asylum": D(2024, 6, 30)},
    ),
    Case(
        "EAE gestattung on RückfVerbG day waits 6 months",
        facts(
            "gestattung", reception_centre=True, asylum_applied_on=D(2023, 10, 1), status_since=D(2023, 10, 1)
        ),
        A.EMPLOYMENT,
        D(2024, 2, 27),
        WAIT,
        "entitlement",
        earliest=D(2024, 4, 1),
        cites=("§ 61 Abs. 1 AsylG@2024-02-27",),
        waits={"eae_asylum": D(2024, 3, 31)},
    ),
    Case(
        "EAE gestattung safe country (Albania) banned",
        facts("gestattung", **dict(GEST_EAE, nationality="AL")),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        cites=("§ 61 Abs. 1 AsylG@2024-02-27", "Anlage II zu § 29a AsylG@2023-12-23"),
    ),
    Case(
        "EAE gestattung manifestly unfounded banned",
        facts("gestattung", **dict(GEST_EAE, rejected_manifestly_unfounded=True)),
        A.INTERNSHIP_MANDATORY,
        D(2024, 5, 1),
        BAN,
        "ban",
    ),
    Case(
        "GEAS: EAE gestattung 3 months after registration",
        facts(
            "gestattung",
            reception_centre=True,
            asylum_applied_on=D(2026, 6, 10),
            asylum_registered_on=D(2026, 6, 15),
            status_since=D(2026, 6, 10),
        ),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        WAIT,
        "entitlement",
        "central_abh",
        True,
        D(2026, 9, 15),
        cites=("§ 61 Abs. 1 AsylG@2026-06-12",),
        waits={"eae_registration": D(2026, 9, 14)},
    ),
    Case(
        "GEAS: Dublin case waits 6 months",
        facts(
            "gestattung",
            reception_centre=True,
            asylum_applied_on=D(2026, 6, 10),
            asylum_registered_on=D(2026, 6, 15),
            status_since=D(2026, 6, 10),
            dublin_or_other_state_protection=True,
        ),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        WAIT,
        earliest=D(2026, 12, 15),
    ),
    Case(
        "GEAS: accelerated procedure banned",
        facts("gestattung", **dict(GEST_EAE, accelerated_procedure=True)),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        BAN,
        "ban",
        cites=("§ 61 Abs. 1 AsylG@2026-06-12",),
    ),
    Case(
        "GEAS: Albanian in EAE gets the accelerated-procedure question",
        facts("gestattung", **dict(GEST_EAE, nationality="AL")),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        PERM,
        "entitlement",
        flags=("safe_country_accelerated", "registration_date_missing"),
    ),
    Case(
        "GEAS: Syrian in EAE not asked about safe countries",
        facts("gestattung", **GEST_EAE),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        PERM,
        no_flags=("safe_country_accelerated",),
    ),
    # --- Gestattung outside the reception centre: Kann after 3 months; Anspruch from 12 Jun 2026
    Case(
        "gestattung last day of 3 months",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2023, 5, 31),
        WAIT,
        "discretion",
        "abh",
        True,
        D(2023, 6, 1),
        cites=("§ 61 Abs. 2 AsylG@2015-10-24",),
        waits={"stay": D(2023, 5, 31)},
    ),
    Case(
        "gestattung 2024 discretion",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 61 Abs. 2 AsylG@2015-10-24", "§ 36 Abs. 2 BeschV@2020-03-01"),
        flags=("wait_start", "discretion_practice"),
    ),
    Case(
        "gestattung day before GEAS discretion",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2026, 6, 11),
        PERM,
        "discretion",
        cites=("§ 61 Abs. 2 AsylG@2026-02-01",),
    ),
    Case(
        "gestattung from GEAS entitlement",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        PERM,
        "entitlement",
        "abh",
        cites=("§ 61 Abs. 2 AsylG@2026-06-12",),
        flags=("exclusions_outside_eae",),
    ),
    Case(
        "Georgian applicant day before listing",
        facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 9, 15))),
        A.EMPLOYMENT,
        D(2023, 12, 22),
        PERM,
        "discretion",
    ),
    Case(
        "Georgian applicant on listing day banned",
        facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 9, 15))),
        A.EMPLOYMENT,
        D(2023, 12, 23),
        BAN,
        "ban",
        "none",
        False,
        cites=("§ 61 Abs. 2 AsylG@2015-10-24", "Anlage II zu § 29a AsylG@2023-12-23"),
    ),
    Case(
        "Georgian applicant grandfathered (applied by 30 Aug 2023)",
        facts("gestattung", **dict(GEST, nationality="GE", asylum_applied_on=D(2023, 8, 30))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
    ),
    Case(
        "Albanian applied before 1 Sep 2015 not banned",
        facts(
            "gestattung",
            **dict(GEST, nationality="AL", asylum_applied_on=D(2015, 8, 31), stay_since=D(2015, 8, 31)),
        ),
        A.EMPLOYMENT,
        D(2021, 5, 1),
        PERM,
    ),
    Case(
        "Albanian applicant after § 29b: both lists cited",
        facts("gestattung", **dict(GEST, nationality="AL", asylum_applied_on=D(2023, 1, 10))),
        A.EMPLOYMENT,
        D(2026, 2, 2),
        BAN,
        cites=("§ 61 Abs. 2 AsylG@2026-02-01", "§ 29b Abs. 1 AsylG@2026-02-01"),
    ),
    Case(
        "gestattung self-employment never",
        facts("gestattung", **GEST),
        A.SELF_EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        cites=("§ 4a Abs. 4 AufenthG@2024-03-01",),
    ),
    Case(
        "gestattung dual training also waits 3 months, BA-free",
        facts("gestattung", **GEST),
        A.DUAL_TRAINING,
        D(2023, 4, 1),
        WAIT,
        ba=False,
        earliest=D(2023, 6, 1),
        flags=("precheck_60c",),
    ),
    Case(
        "gestattung 4 years: no BA approval",
        facts("gestattung", **dict(GEST, stay_since=D(2019, 9, 1))),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        PERM,
        ba=False,
        waits={"four_years": D(2023, 8, 31)},
    ),
    Case(
        "gestattung BFD after waiting, BA-free",
        facts("gestattung", **GEST),
        A.VOLUNTEER_SERVICE,
        D(2023, 10, 1),
        PERM,
        ba=False,
        cites=("§ 14 Abs. 1 BeschV@2020-03-01", "§ 32 Abs. 2 Nr. 3 BeschV@2019-08-06"),
    ),
    Case(
        "gestattung in EAE job shadowing (no employment)",
        facts("gestattung", **GEST_EAE),
        A.JOB_SHADOWING,
        D(2023, 3, 2),
        OUT,
        "by_law",
        "none",
        False,
        flags=("shadowing_character",),
    ),
    Case(
        "job shadowing judged to be work",
        facts("gestattung", **dict(GEST_EAE, judgements={"shadowing_character": False})),
        A.JOB_SHADOWING,
        D(2023, 3, 2),
        WAIT,
        "entitlement",
        ba=True,
        earliest=D(2023, 12, 1),
    ),
    # --- Duldung § 60a outside the reception centre: Kann, Soll since 27 Feb 2024
    Case(
        "duldung employment 2023 discretion",
        facts("duldung_60a", **DUL),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 4a Abs. 4 AufenthG@2020-03-01", "§ 32 Abs. 1 BeschV@2019-08-06"),
        no_flags=("imminent_measures",),
    ),
    Case(
        "duldung day before § 60a(5b)",
        facts("duldung_60a", **DUL),
        A.EMPLOYMENT,
        D(2024, 2, 26),
        PERM,
        "discretion",
    ),
    Case(
        "duldung from § 60a(5b): Soll",
        facts("duldung_60a", **DUL),
        A.EMPLOYMENT,
        D(2024, 2, 27),
        PERM,
        "regular",
        "abh",
        True,
        cites=("§ 60a Abs. 5b AufenthG@2024-02-27",),
        flags=("imminent_measures", "own_fault", "benefits_entry"),
    ),
    Case(
        "duldung imminent measures answered yes: discretion",
        facts("duldung_60a", **dict(DUL, judgements={"imminent_measures": True})),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "discretion",
    ),
    Case(
        "duldung own fault answered yes: banned",
        facts("duldung_60a", **dict(DUL, judgements={"own_fault": True})),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        cites=("§ 60a Abs. 6 S. 1 Nr. 2 AufenthG@2022-12-31",),
    ),
    Case(
        "duldung dual training from day one, BA-free",
        facts("duldung_60a", **dict(DUL, status_since=D(2024, 4, 1), stay_since=D(2024, 4, 1))),
        A.DUAL_TRAINING,
        D(2024, 4, 15),
        PERM,
        "regular",
        "abh",
        False,
    ),
    Case(
        "duldung employment waits 3 months of stay",
        facts("duldung_60a", **dict(DUL, status_since=D(2024, 4, 1), stay_since=D(2024, 4, 1))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        WAIT,
        "regular",
        "abh",
        True,
        D(2024, 7, 1),
        cites=("§ 32 Abs. 1 BeschV@2023-11-18",),
    ),
    Case(
        "duldung Albanian rejected: § 60a(6) Nr.3",
        facts("duldung_60a", **dict(DUL, nationality="AL")),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        BAN,
        "ban",
        cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2022-12-31", "Anlage II zu § 29a AsylG@2015-10-24"),
    ),
    Case(
        "duldung Albanian never applied: § 104(16) question",
        facts("duldung_60a", nationality="AL", status_since=D(2022, 1, 1), stay_since=D(2021, 6, 1)),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        BAN,
        flags=("old_version_104_16",),
    ),
    Case(
        "duldung Albanian never applied, permitted before 2020",
        facts(
            "duldung_60a",
            nationality="AL",
            status_since=D(2022, 1, 1),
            stay_since=D(2019, 6, 1),
            judgements={"old_version_104_16": True},
        ),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        PERM,
        "discretion",
    ),
    Case(
        "duldung Albanian withdrew after legal information",
        facts(
            "duldung_60a",
            **dict(
                DUL,
                nationality="AL",
                asylum_outcome=AsylumOutcome.WITHDRAWN,
                withdrawn_after_legal_information=True,
            ),
        ),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        PERM,
    ),
    Case(
        "duldung protected elsewhere, day before § 60a(6) S.4",
        facts("duldung_60a", **dict(DUL, nationality="AL", protected_in_other_state=True)),
        A.EMPLOYMENT,
        D(2022, 12, 30),
        BAN,
    ),
    Case(
        "duldung protected elsewhere, on § 60a(6) S.4 day",
        facts("duldung_60a", **dict(DUL, nationality="AL", protected_in_other_state=True)),
        A.EMPLOYMENT,
        D(2022, 12, 31),
        PERM,
    ),
    Case(
        "duldung Georgian applied after 30 Aug 2023 banned",
        facts("duldung_60a", **dict(DUL, nationality="GE", asylum_applied_on=D(2023, 10, 1))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2022-12-31",),
    ),
    Case(
        "duldung Georgian applied by 30 Aug 2023 grandfathered",
        facts("duldung_60a", **dict(DUL, nationality="GE", asylum_applied_on=D(2023, 8, 1))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
    ),
    Case(
        "duldung Moroccan day before EU list",
        facts("duldung_60a", **dict(DUL, **MOROCCAN)),
        A.EMPLOYMENT,
        D(2026, 7, 28),
        PERM,
        "regular",
        flags=("eu_list_uncertain",),
    ),
    Case(
        "duldung Moroccan EU list banned",
        facts("duldung_60a", **dict(DUL, **MOROCCAN)),
        A.EMPLOYMENT,
        D(2026, 7, 29),
        BAN,
        cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2026-07-29", "Art. 61, 62 VO (EU) 2024/1348@2026-06-12"),
        flags=("eu_list_uncertain",),
    ),
    Case(
        "duldung Moroccan geduldet on 6 May 2025 grandfathered",
        facts(
            "duldung_60a",
            **dict(
                DUL,
                nationality="MA",
                asylum_applied_on=D(2024, 1, 1),
                status_since=D(2025, 6, 1),
                history=(StatusPeriod("duldung_60a", D(2025, 1, 1), D(2025, 5, 31)),),
            ),
        ),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        PERM,
    ),
    # --- Duldung in the reception centre
    Case(
        "EAE duldung 2023: Kann after 6 months",
        facts("duldung_60a", **dict(DUL, reception_centre=True, status_since=D(2023, 6, 1))),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        WAIT,
        "discretion",
        "central_abh",
        True,
        D(2023, 12, 1),
        cites=("§ 61 Abs. 1 AsylG@2019-08-21",),
    ),
    Case(
        "EAE duldung 2024: Soll after 6 months",
        facts("duldung_60a", **dict(DUL, reception_centre=True, status_since=D(2024, 1, 1))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        WAIT,
        "regular",
        "central_abh",
        True,
        D(2024, 7, 1),
    ),
    Case(
        "GEAS EAE duldung with passport: 3 months",
        facts(
            "duldung_60a",
            **dict(DUL, reception_centre=True, status_since=D(2026, 6, 20), identity_by_passport=True),
        ),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        WAIT,
        "regular",
        earliest=D(2026, 9, 20),
        waits={"eae_duldung_short": D(2026, 9, 19)},
    ),
    Case(
        "GEAS EAE duldung permitted during procedure: at once, entitlement",
        facts(
            "duldung_60a",
            **dict(DUL, reception_centre=True, status_since=D(2026, 7, 1), permitted_during_procedure=True),
        ),
        A.EMPLOYMENT,
        D(2026, 8, 1),
        PERM,
        "entitlement",
        "central_abh",
    ),
    Case(
        "GEAS EAE duldung training: 3 months",
        facts("duldung_60a", **dict(DUL, reception_centre=True, status_since=D(2026, 7, 1))),
        A.DUAL_TRAINING,
        D(2026, 8, 1),
        WAIT,
        earliest=D(2026, 10, 1),
        ba=False,
    ),
    # --- § 60c, § 60d
    Case(
        "§ 60c training: permission with the Duldung",
        facts("duldung_60c", **DUL),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "entitlement",
        "abh",
        False,
        cites=("§ 60c Abs. 1 S. 3 AufenthG@2020-01-01",),
    ),
    Case(
        "§ 60c side job: like § 60a",
        facts("duldung_60c", **DUL),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "regular",
        "abh",
        True,
    ),
    Case(
        "§ 60d job tied to the Duldung",
        facts("duldung_60d", **DUL),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "regular",
        cites=("§ 60d Abs. 1 AufenthG@2024-02-27",),
        flags=("tied_to_job",),
    ),
    # --- both sides of the remaining change dates
    Case(
        "§ 32 BeschV version before FEG 2.0 stage 1",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_OTHER,
        D(2023, 11, 17),
        PERM,
        "discretion",
        ba=True,
        cites=("§ 32 Abs. 1 BeschV@2019-08-06",),
    ),
    Case(
        "§ 32 BeschV version from FEG 2.0 stage 1",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_OTHER,
        D(2023, 11, 18),
        PERM,
        "discretion",
        ba=True,
        cites=("§ 32 Abs. 1 BeschV@2023-11-18",),
    ),
    Case(
        "§ 104c last day before sunset",
        facts("ae_104c", status_since=D(2023, 2, 1)),
        A.EMPLOYMENT,
        D(2025, 12, 31),
        OUT,
        cites=("§ 104c Abs. 1 AufenthG@2022-12-31",),
        no_flags=("transitional_104c",),
    ),
    Case(
        "Albanian applicant day before § 29b",
        facts("gestattung", **dict(GEST, nationality="AL", asylum_applied_on=D(2023, 1, 10))),
        A.EMPLOYMENT,
        D(2026, 1, 31),
        BAN,
        cites=("§ 61 Abs. 2 AsylG@2015-10-24",),
    ),
    Case(
        "EAE gestattung day before GEAS: 6 months from application",
        facts("gestattung", **dict(GEST_EAE, asylum_applied_on=D(2026, 3, 1), status_since=D(2026, 3, 1))),
        A.EMPLOYMENT,
        D(2026, 6, 11),
        WAIT,
        "entitlement",
        "central_abh",
        earliest=D(2026, 6, 12),
        cites=("§ 61 Abs. 1 AsylG@2026-02-01",),
    ),
    Case(
        "EAE gestattung on GEAS day: 3 months after registration",
        facts(
            "gestattung",
            reception_centre=True,
            asylum_applied_on=D(2026, 3, 1),
            asylum_registered_on=D(2026, 3, 1),
            status_since=D(2026, 3, 1),
        ),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        PERM,
        "entitlement",
        cites=("§ 61 Abs. 1 AsylG@2026-06-12",),
    ),
    # --- internships and other activities (Duldung outside EAE, 2024)
    Case(
        "orientation internship BA-free",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_ORIENTATION,
        D(2024, 5, 1),
        PERM,
        ba=False,
        cites=("§ 22 Abs. 1 MiLoG@2015-01-01",),
        flags=("internship_character", "three_months"),
    ),
    Case(
        "orientation internship longer than 3 months needs BA",
        facts("duldung_60a", **dict(DUL, judgements={"three_months": False})),
        A.INTERNSHIP_ORIENTATION,
        D(2024, 5, 1),
        PERM,
        ba=True,
    ),
    Case(
        "accompanying internship BA-free",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_ACCOMPANYING,
        D(2024, 5, 1),
        PERM,
        ba=False,
        flags=("same_provider",),
    ),
    Case(
        "mandatory internship BA-free, Land practice asked",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_MANDATORY,
        D(2024, 5, 1),
        PERM,
        ba=False,
        flags=("mandatory_land_practice",),
    ),
    Case(
        "Einstiegsqualifizierung BA-free",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_PREPARATION,
        D(2024, 5, 1),
        PERM,
        ba=False,
    ),
    Case(
        "other internship needs BA",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_OTHER,
        D(2024, 5, 1),
        PERM,
        "regular",
        "abh",
        True,
    ),
    Case(
        "duldung self-employment never",
        facts("duldung_60a", **DUL),
        A.SELF_EMPLOYMENT,
        D(2023, 10, 1),
        BAN,
        "ban",
    ),
    Case(
        "school-based training paid: treated as dual",
        facts("duldung_60a", **dict(DUL, judgements={"school_training_paid": True})),
        A.SCHOOL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "regular",
        ba=False,
    ),
]


# --- Law from 6 Nov 2014 to 29 Feb 2020 (both sides of each change date)

SY_GEST_2014 = {
    "status_since": D(2014, 9, 1),
    "stay_since": D(2014, 9, 1),
    "asylum_applied_on": D(2014, 9, 1),
    "asylum_outcome": AsylumOutcome.PENDING,
}
AL_GEST_2015 = {
    "nationality": "AL",
    "status_since": D(2015, 9, 10),
    "stay_since": D(2015, 9, 10),
    "asylum_applied_on": D(2015, 9, 10),
    "asylum_outcome": AsylumOutcome.PENDING,
}
DUL_2015 = {
    "status_since": D(2015, 1, 1),
    "stay_since": D(2014, 6, 1),
    "asylum_applied_on": D(2014, 6, 1),
    **REJECTED,
}
AL_DUL = {
    "nationality": "AL",
    "status_since": D(2016, 2, 1),
    "stay_since": D(2015, 9, 10),
    "asylum_applied_on": D(2015, 9, 10),
}
GEST_EAE_2018 = {
    "reception_centre": True,
    "status_since": D(2018, 10, 1),
    "asylum_applied_on": D(2018, 10, 1),
    "asylum_outcome": AsylumOutcome.PENDING,
}
DUL_EAE_2019 = {
    "reception_centre": True,
    "status_since": D(2019, 1, 1),
    "asylum_applied_on": D(2018, 3, 1),
    **REJECTED,
}
DUL_2016 = {"status_since": D(2015, 9, 1), "stay_since": D(2015, 9, 1), **REJECTED}
DUL_2019 = {
    "status_since": D(2018, 9, 1),
    "stay_since": D(2018, 9, 1),
    "workplace_district": "nw_essen",
    **REJECTED,
}
OLD_STAY = {"status_since": D(2014, 1, 1), "stay_since": D(2010, 1, 1), **REJECTED}

HISTORIC_CASES = [
    # Nov 2014: 3-month wait for Gestattung (law ≈ 6 Nov); the days are flagged.
    Case(
        "2014-11-07 gestattung waits 3 months, priority check",
        facts("gestattung", **SY_GEST_2014),
        A.EMPLOYMENT,
        D(2014, 11, 7),
        WAIT,
        "discretion",
        "abh",
        True,
        earliest=D(2014, 12, 1),
        cites=("§ 61 Abs. 2 AsylG@2014-11-06", "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        flags=("nov_2014_dates", "wait_start", "agency_work_old"),
        waits={"stay": D(2014, 11, 30), "priority_free": D(2018, 8, 31)},  # 4 years (BeschV 2013)
        priority="required",
    ),
    Case(
        "2014-12-01 gestattung after 3 months, date flag gone",
        facts("gestattung", **SY_GEST_2014),
        A.EMPLOYMENT,
        D(2014, 12, 1),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 39 Abs. 2 AufenthG a.F.@2013-07-01",),
        flags=("priority_exceptions",),
        no_flags=("nov_2014_dates",),
        waits={"priority_free": D(2015, 11, 30)},  # 15 months since 11 Nov 2014
        priority="required",
    ),
    Case(
        "2014-11-07 gestattung in the reception centre banned",
        facts("gestattung", **dict(SY_GEST_2014, reception_centre=True)),
        A.DUAL_TRAINING,
        D(2014, 11, 7),
        BAN,
        "ban",
        cites=("§ 61 Abs. 1 AsylG@2013-07-01",),
        flags=("nov_2014_dates",),
    ),
    # BeschV ≈ 11 Nov 2014: the 4-year rule (no BA approval after 4 years of stay).
    Case(
        "2014-11-10 duldung 4 years of stay: BA still needed",
        facts("duldung_60a", **OLD_STAY),
        A.EMPLOYMENT,
        D(2014, 11, 10),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 32 Abs. 1 BeschV@2014-11-06",),
        flags=("benefits_entry_old", "own_fault_old"),
        priority="none",  # no priority check after 4 years (BeschV 2013)
    ),
    Case(
        "2014-11-11 duldung 4 years of stay: BA-free",
        facts("duldung_60a", **OLD_STAY),
        A.EMPLOYMENT,
        D(2014, 11, 11),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 32 Abs. 2 Nr. 5 BeschV@2014-11-11",),
        priority="not_applicable",
    ),
    # 1 Aug 2015: internships BA-exempt.
    Case(
        "2015-07-31 duldung mandatory internship needs BA",
        facts("duldung_60a", **DUL_2015),
        A.INTERNSHIP_MANDATORY,
        D(2015, 7, 31),
        PERM,
        ba=True,
        priority="required",  # 14 months of stay
        no_flags=("internship_character",),
    ),
    Case(
        "2015-08-01 duldung mandatory internship BA-free",
        facts("duldung_60a", **DUL_2015),
        A.INTERNSHIP_MANDATORY,
        D(2015, 8, 1),
        PERM,
        ba=False,
        cites=("§ 22 Abs. 1 MiLoG@2015-01-01", "§ 32 Abs. 2 Nr. 1 BeschV@2015-08-01"),
        priority="not_applicable",
    ),
    # Before 24 Oct 2015 the benefits / own-fault bans were in § 33 BeschV.
    Case(
        "2015-10-23 duldung own fault judged: ban under § 33 BeschV",
        facts("duldung_60a", **dict(DUL_2015, judgements={"own_fault_old": True})),
        A.EMPLOYMENT,
        D(2015, 10, 23),
        BAN,
        "ban",
        cites=("§ 33 Abs. 1 Nr. 2 BeschV a.F.@2013-07-01",),
    ),
    Case(
        "2015-10-24 duldung own fault asked under § 60a(6)",
        facts("duldung_60a", **DUL_2015),
        A.EMPLOYMENT,
        D(2015, 10, 24),
        PERM,
        flags=("own_fault", "benefits_entry"),
        no_flags=("own_fault_old",),
    ),
    # 24 Oct 2015: Albania listed; ban for applications after 31 Aug 2015.
    Case(
        "2015-10-23 albanian gestattung waits, then banned: no earliest date",
        facts("gestattung", **AL_GEST_2015),
        A.EMPLOYMENT,
        D(2015, 10, 23),
        WAIT,
        earliest=None,
        waits={"stay": D(2015, 12, 9)},
    ),
    Case(
        "2015-10-24 albanian gestattung banned (applied after 31 Aug 2015)",
        facts("gestattung", **AL_GEST_2015),
        A.EMPLOYMENT,
        D(2015, 10, 24),
        BAN,
        "ban",
        cites=("§ 61 Abs. 2 AsylG@2015-10-24", "Anlage II zu § 29a AsylG@2015-10-24"),
        flags=("eae_safe_country",),
    ),
    Case(
        "2015-12-01 serbian gestattung applied before the cut-off",
        facts(
            "gestattung",
            **dict(
                AL_GEST_2015, nationality="RS", asylum_applied_on=D(2015, 8, 20), stay_since=D(2015, 8, 20)
            ),
        ),
        A.EMPLOYMENT,
        D(2015, 12, 1),
        PERM,
        "discretion",
        "abh",
        True,
        flags=("eae_safe_country",),
    ),
    Case(
        "2016-03-01 syrian gestattung: no safe-country question",
        facts("gestattung", **dict(AL_GEST_2015, nationality="SY")),
        A.EMPLOYMENT,
        D(2016, 3, 1),
        PERM,
        no_flags=("eae_safe_country",),
    ),
    Case(
        "2016-03-01 albanian duldung after rejection banned",
        facts("duldung_60a", **dict(AL_DUL, **REJECTED)),
        A.EMPLOYMENT,
        D(2016, 3, 1),
        BAN,
        "ban",
        cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2015-10-24", "Anlage II zu § 29a AsylG@2015-10-24"),
    ),
    # 6 Aug 2016: VP-free districts; Ausbildungsduldung "3+2" as entitlement.
    Case(
        "2016-08-05 duldung job: priority check in the first 15 months",
        facts("duldung_60a", **DUL_2016),
        A.EMPLOYMENT,
        D(2016, 8, 5),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 32 Abs. 1 BeschV@2015-08-01", "§ 39 Abs. 2 AufenthG a.F.@2013-07-01"),
        flags=("priority_exceptions", "agency_work_old"),
        priority="required",
    ),
    Case(
        "2016-08-06 duldung job: priority check depends on the district",
        facts("duldung_60a", **DUL_2016),
        A.EMPLOYMENT,
        D(2016, 8, 6),
        PERM,
        ba=True,
        cites=("§ 32 Abs. 1 BeschV@2016-08-06", "Anlage zu § 32 BeschV@2016-08-06"),
        priority="open",
    ),
    Case(
        "2016-08-06 duldung job in Munich: priority check",
        facts("duldung_60a", **dict(DUL_2016, workplace_district="by_muenchen")),
        A.EMPLOYMENT,
        D(2016, 8, 6),
        PERM,
        ba=True,
        cites=("Anlage zu § 32 BeschV@2016-08-06",),
        flags=("priority_exceptions",),
        priority="required",
    ),
    Case(
        "2016-08-06 duldung job in Mecklenburg-Vorpommern: priority check",
        facts("duldung_60a", **dict(DUL_2016, workplace_district="mv")),
        A.EMPLOYMENT,
        D(2016, 8, 6),
        PERM,
        priority="required",
    ),
    Case(
        "2016-08-06 duldung job in a listed district: no priority check",
        facts("duldung_60a", **dict(DUL_2016, workplace_district="other")),
        A.EMPLOYMENT,
        D(2016, 8, 6),
        PERM,
        ba=True,
        priority="none",
    ),
    Case(
        "2016-08-06 duldung skilled job in Munich: no priority check (answer)",
        facts(
            "duldung_60a",
            **dict(DUL_2016, workplace_district="by_muenchen", judgements={"priority_exceptions": True}),
        ),
        A.EMPLOYMENT,
        D(2016, 8, 6),
        PERM,
        ba=True,
        flags=("priority_exceptions",),
        priority="none",
    ),
    Case(
        "2016-12-01 duldung job in Munich after 15 months: no priority check",
        facts("duldung_60a", **dict(DUL_2016, workplace_district="by_muenchen")),
        A.EMPLOYMENT,
        D(2016, 12, 1),
        PERM,
        ba=True,
        waits={"priority_free": D(2016, 11, 30)},
        priority="none",
    ),
    Case(
        "2016-08-05 ausbildungsduldung discretionary (2015 rule)",
        facts("duldung_60c", **DUL_2015),
        A.DUAL_TRAINING,
        D(2016, 8, 5),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 60a Abs. 2 S. 4 AufenthG a.F.@2015-08-01",),
        flags=("training_duldung_2015",),
        no_flags=("precheck_60c",),
        priority="not_applicable",
    ),
    Case(
        "2016-08-06 ausbildungsduldung 3+2 entitlement",
        facts("duldung_60c", **DUL_2015),
        A.DUAL_TRAINING,
        D(2016, 8, 6),
        PERM,
        "entitlement",
        "abh",
        False,
        cites=("§ 60a Abs. 2 S. 4 AufenthG a.F.@2016-08-06",),
        flags=("training_duldung_2016",),
    ),
    # 6 Aug 2019: priority check abolished.
    Case(
        "2019-08-05 duldung job in Essen: last day of the district rule",
        facts("duldung_60a", **DUL_2019),
        A.EMPLOYMENT,
        D(2019, 8, 5),
        PERM,
        ba=True,
        flags=("agency_work_old",),
        priority="required",
    ),
    Case(
        "2019-08-06 duldung job in Essen: no priority check",
        facts("duldung_60a", **DUL_2019),
        A.EMPLOYMENT,
        D(2019, 8, 6),
        PERM,
        ba=True,
        cites=("§ 32 Abs. 1 BeschV@2019-08-06",),
        no_flags=("priority_exceptions", "agency_work_old"),
        priority="none",
    ),
    # 21 Aug 2019: entitlement after 9 months in the EAE; Duldung in the EAE "kann" after 6.
    Case(
        "2019-08-20 gestattung in the reception centre banned",
        facts("gestattung", **GEST_EAE_2018),
        A.EMPLOYMENT,
        D(2019, 8, 20),
        BAN,
        "ban",
        cites=("§ 61 Abs. 1 AsylG@2013-07-01",),
    ),
    Case(
        "2019-08-21 gestattung in the reception centre: entitlement after 9 months",
        facts("gestattung", **GEST_EAE_2018),
        A.EMPLOYMENT,
        D(2019, 8, 21),
        PERM,
        "entitlement",
        "central_abh",
        True,
        cites=("§ 61 Abs. 1 AsylG@2019-08-21", "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        waits={"eae_asylum": D(2019, 6, 30)},
    ),
    Case(
        "2019-08-21 gestattung in the reception centre: 9 months not over",
        facts("gestattung", **dict(GEST_EAE_2018, asylum_applied_on=D(2019, 1, 15))),
        A.EMPLOYMENT,
        D(2019, 8, 21),
        WAIT,
        "entitlement",
        "central_abh",
        earliest=D(2019, 10, 15),
    ),
    Case(
        "2019-08-20 duldung in the reception centre banned (reading flagged)",
        facts("duldung_60a", **DUL_EAE_2019),
        A.EMPLOYMENT,
        D(2019, 8, 20),
        BAN,
        "ban",
        flags=("duldung_eae_old",),
    ),
    Case(
        "2019-08-21 duldung in the reception centre: discretion after 6 months",
        facts("duldung_60a", **DUL_EAE_2019),
        A.EMPLOYMENT,
        D(2019, 8, 21),
        PERM,
        "discretion",
        "central_abh",
        True,
        cites=("§ 61 Abs. 1 AsylG@2019-08-21",),
        waits={"eae_duldung": D(2019, 6, 30)},
        no_flags=("duldung_eae_old",),
    ),
    Case(
        "2019-08-21 duldung light banned, transitional rule asked",
        facts("duldung_60b", status_since=D(2019, 8, 21)),
        A.DUAL_TRAINING,
        D(2019, 8, 21),
        BAN,
        "ban",
        cites=("§ 60b Abs. 5 S. 2 AufenthG@2019-08-21",),
        flags=("transitional_105",),
    ),
    Case(
        "2020-07-01 duldung light banned, transition over",
        facts("duldung_60b", status_since=D(2019, 8, 21)),
        A.DUAL_TRAINING,
        D(2020, 7, 1),
        BAN,
        "ban",
        no_flags=("transitional_105",),
    ),
    # 1 Jan 2020: § 60c / § 60d; § 60a(6) Nr. 3 extended to withdrawn applications.
    Case(
        "2019-12-31 ausbildungsduldung (old) needs the permission",
        facts("duldung_60c", **DUL_2015),
        A.DUAL_TRAINING,
        D(2019, 12, 31),
        PERM,
        "entitlement",
        flags=("training_duldung_2016",),
    ),
    Case(
        "2020-01-01 ausbildungsduldung § 60c: training permission is an entitlement",
        facts("duldung_60c", **DUL_2015),
        A.DUAL_TRAINING,
        D(2020, 1, 1),
        PERM,
        "entitlement",
        "abh",
        cites=("§ 60c Abs. 1 S. 3 AufenthG@2020-01-01", "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        no_flags=("training_duldung_2016",),
    ),
    Case(
        "2020-01-01 beschäftigungsduldung: other job needs permission",
        facts("duldung_60d", **DUL_2015),
        A.EMPLOYMENT,
        D(2020, 1, 1),
        PERM,
        flags=("tied_to_job",),
    ),
    Case(
        "2019-12-31 albanian duldung after withdrawal not banned yet",
        facts("duldung_60a", **dict(AL_DUL, asylum_outcome=AsylumOutcome.WITHDRAWN)),
        A.EMPLOYMENT,
        D(2019, 12, 31),
        PERM,
    ),
    Case(
        "2020-01-01 albanian duldung after withdrawal banned",
        facts("duldung_60a", **dict(AL_DUL, asylum_outcome=AsylumOutcome.WITHDRAWN)),
        A.EMPLOYMENT,
        D(2020, 1, 1),
        BAN,
        cites=("§ 60a Abs. 6 S. 1 Nr. 3 AufenthG@2020-01-01",),
    ),
    Case(
        "2019-12-19 school-based training before the BMI guidance",
        facts("duldung_60a", **DUL_2015),
        A.SCHOOL_TRAINING,
        D(2019, 12, 19),
        OUT,
        cites=("§ 7 Abs. 1 SGB IV@2013-07-01",),
        flags=("school_training_paid_old",),
    ),
    Case(
        "2019-12-20 school-based training with the BMI guidance",
        facts("duldung_60a", **DUL_2015),
        A.SCHOOL_TRAINING,
        D(2019, 12, 20),
        OUT,
        cites=("BMI-Anwendungshinweise 20.12.2019@2019-12-20",),
        flags=("school_training_paid",),
    ),
    # 1 Mar 2020: § 4a AufenthG replaces the old § 4.
    Case(
        "2020-02-29 gestattung self-employment banned under old § 4",
        facts("gestattung", **SY_GEST_2014),
        A.SELF_EMPLOYMENT,
        D(2020, 2, 29),
        BAN,
        "ban",
        cites=("§ 4 Abs. 3 AufenthG a.F.@2013-07-01",),
    ),
    Case(
        "2020-02-29 duldung job under old § 4",
        facts("duldung_60a", **DUL_2015),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        cites=("§ 4 Abs. 3 AufenthG a.F.@2013-07-01",),
    ),
    Case(
        "2020-03-01 duldung job under § 4a",
        facts("duldung_60a", **DUL_2015),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        PERM,
        "discretion",
        "abh",
        cites=("§ 4a Abs. 4 AufenthG@2020-03-01",),
    ),
]

# Residence titles before and after 1 Mar 2020 (§ 4 AufenthG a.F. → § 4a AufenthG).
TITLE = {"status_since": D(2016, 3, 1)}
TITLE_CASES = [
    Case(
        "2020-02-29 refugee title: work by § 25(2) itself",
        facts("ae_25_2_refugee", **TITLE),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 25 Abs. 1, 2 AufenthG@2013-12-01",),
    ),
    Case(
        "2020-03-01 refugee title: work by § 4a",
        facts("ae_25_2_refugee", **TITLE),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        OUT,
        "by_law",
        cites=("§ 4a Abs. 1 AufenthG@2020-03-01", "§ 25 Abs. 1, 2 AufenthG@2020-03-01"),
    ),
    Case(
        "2016-05-01 asylum-entitled self-employment",
        facts("ae_25_1", **TITLE),
        A.SELF_EMPLOYMENT,
        D(2016, 5, 1),
        OUT,
        "by_law",
        cites=("§ 25 Abs. 1, 2 AufenthG@2013-12-01",),
    ),
    Case(
        "2020-02-29 § 25(3) job: authority's permission, BA-free",
        facts("ae_25_3", **TITLE),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 4 Abs. 2 AufenthG a.F.@2013-07-01", "§ 31 BeschV@2013-07-01"),
        flags=("title_permission_old",),
    ),
    Case(
        "2020-03-01 § 25(3) job by law",
        facts("ae_25_3", **TITLE),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        OUT,
        "by_law",
        "none",
        False,
        cites=("§ 4a Abs. 1 AufenthG@2020-03-01",),
        no_flags=("title_permission_old",),
    ),
    Case(
        "2017-01-10 § 25(5) self-employment needs permission",
        facts("ae_25_5", **TITLE),
        A.SELF_EMPLOYMENT,
        D(2017, 1, 10),
        PERM,
        "discretion",
        "abh",
        flags=("title_permission_old",),
    ),
    Case(
        "2018-06-01 § 25(4) dual training needs permission",
        facts("ae_25_4", **TITLE),
        A.DUAL_TRAINING,
        D(2018, 6, 1),
        PERM,
        "discretion",
        "abh",
        False,
    ),
    Case(
        "2019-02-01 § 25(4a) job needs permission",
        facts("ae_25_4ab", **TITLE),
        A.EMPLOYMENT,
        D(2019, 2, 1),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 4 Abs. 2 AufenthG a.F.@2013-07-01",),
    ),
    Case(
        "2020-02-29 § 24 job needs permission (old § 4)",
        facts("ae_24", **TITLE),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 24 Abs. 6 AufenthG a.F.@2013-07-01", "§ 4 Abs. 2 AufenthG a.F.@2013-07-01"),
        flags=("old_24_wording",),
    ),
    Case(
        "2020-03-01 § 24 job needs permission (§ 4a)",
        facts("ae_24", **TITLE),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        PERM,
        cites=("§ 24 Abs. 6 AufenthG a.F.@2020-03-01", "§ 4a Abs. 2 AufenthG@2020-03-01"),
    ),
    Case(
        "2015-03-01 § 25a job by law",
        facts("ae_25a", status_since=D(2014, 12, 1)),
        A.EMPLOYMENT,
        D(2015, 3, 1),
        OUT,
        "by_law",
        cites=("§ 25a Abs. 1 AufenthG@2013-07-01",),
    ),
    Case(
        "2015-08-01 § 25b job by law",
        facts("ae_25b", status_since=D(2015, 8, 1)),
        A.EMPLOYMENT,
        D(2015, 8, 1),
        OUT,
        "by_law",
        cites=("§ 25b Abs. 1 AufenthG@2015-08-01",),
    ),
    Case(
        "2020-02-29 settlement permit by § 9",
        facts("niederlassung", **TITLE),
        A.EMPLOYMENT,
        D(2020, 2, 29),
        OUT,
        "by_law",
        cites=("§ 9 Abs. 1 S. 2 AufenthG a.F.@2013-07-01",),
    ),
    Case(
        "2020-03-01 settlement permit by § 4a",
        facts("niederlassung", **TITLE),
        A.EMPLOYMENT,
        D(2020, 3, 1),
        OUT,
        "by_law",
        cites=("§ 4a Abs. 1 AufenthG@2020-03-01",),
    ),
    Case(
        "2016-05-01 EU citizen",
        facts("eu", **TITLE),
        A.SELF_EMPLOYMENT,
        D(2016, 5, 1),
        OUT,
        "by_law",
        cites=("§ 2 Abs. 1 FreizügG/EU@2013-07-01",),
    ),
]
HISTORIC_CASES += TITLE_CASES

# 1 Jul 2013 – 5 Nov 2014: BeschV 2013; § 61(2) AsylVfG one year, nine months from 6 Sep 2013.
GEST_2013 = {
    "status_since": D(2013, 1, 10),
    "stay_since": D(2013, 1, 10),
    "asylum_applied_on": D(2013, 1, 10),
    "asylum_outcome": AsylumOutcome.PENDING,
}
GEST_2014 = {
    "status_since": D(2014, 6, 1),
    "stay_since": D(2014, 6, 1),
    "asylum_applied_on": D(2014, 6, 1),
    "asylum_outcome": AsylumOutcome.PENDING,
}
DUL_2014 = {"status_since": D(2014, 3, 1), "stay_since": D(2014, 3, 1), **REJECTED}
LAW_2013_CASES = [
    Case(
        "2013-09-05 gestattung waits one year",
        facts("gestattung", **GEST_2013),
        A.EMPLOYMENT,
        D(2013, 9, 5),
        WAIT,
        "discretion",
        "abh",
        True,
        earliest=D(2013, 10, 10),  # nine months from 6 Sep 2013
        cites=("§ 61 Abs. 2 AsylG@2013-07-01", "§ 4 Abs. 3 AufenthG a.F.@2013-07-01"),
        flags=("law_2013", "wait_start"),
        waits={"stay": D(2014, 1, 9)},
    ),
    Case(
        "2013-09-06 gestattung waits nine months",
        facts("gestattung", **GEST_2013),
        A.EMPLOYMENT,
        D(2013, 9, 6),
        WAIT,
        earliest=D(2013, 10, 10),
        cites=("§ 61 Abs. 2 AsylG@2013-09-06",),
        waits={"stay": D(2013, 10, 9)},
    ),
    Case(
        "2013-10-10 gestattung after nine months",
        facts("gestattung", **GEST_2013),
        A.EMPLOYMENT,
        D(2013, 10, 10),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 61 Abs. 2 AsylG@2013-09-06", "§ 32 Abs. 1 BeschV@2013-07-01"),
    ),
    Case(
        "2014-11-05 gestattung training waits nine months",
        facts("gestattung", **GEST_2014),
        A.DUAL_TRAINING,
        D(2014, 11, 5),
        WAIT,
        ba=False,
        earliest=D(2014, 11, 6),  # the 3-month rule of Nov 2014 applies from then
        waits={"stay": D(2015, 2, 28)},
    ),
    Case(
        "2014-11-06 gestattung training after 3 months",
        facts("gestattung", **GEST_2014),
        A.DUAL_TRAINING,
        D(2014, 11, 6),
        PERM,
        ba=False,
        cites=("§ 61 Abs. 2 AsylG@2014-11-06",),
    ),
    Case(
        "2013-07-01 gestattung in the reception centre banned",
        facts("gestattung", **dict(GEST_2013, reception_centre=True)),
        A.EMPLOYMENT,
        D(2013, 7, 1),
        BAN,
        "ban",
        cites=("§ 61 Abs. 1 AsylG@2013-07-01",),
    ),
    Case(
        "2013-08-01 gestattung self-employment banned",
        facts("gestattung", **GEST_2013),
        A.SELF_EMPLOYMENT,
        D(2013, 8, 1),
        BAN,
        "ban",
        cites=("§ 4 Abs. 3 AufenthG a.F.@2013-07-01",),
    ),
    Case(
        "2014-11-05 duldung job waits one year",
        facts("duldung_60a", **DUL_2014),
        A.EMPLOYMENT,
        D(2014, 11, 5),
        WAIT,
        "discretion",
        "abh",
        True,
        earliest=D(2014, 11, 6),
        cites=("§ 32 Abs. 1 BeschV@2013-07-01", "§ 33 Abs. 1 Nr. 1 BeschV a.F.@2013-07-01"),
        flags=("law_2013", "benefits_entry_old", "own_fault_old"),
        waits={"stay": D(2015, 2, 28)},
    ),
    Case(
        "2014-11-06 duldung job after 3 months",
        facts("duldung_60a", **DUL_2014),
        A.EMPLOYMENT,
        D(2014, 11, 6),
        PERM,
        "discretion",
        "abh",
        True,
        cites=("§ 32 Abs. 1 BeschV@2014-11-06",),
        no_flags=("law_2013",),
    ),
    Case(
        "2014-11-05 duldung dual training: BA-free, no waiting period",
        facts("duldung_60a", **dict(DUL_2014, stay_since=D(2014, 10, 1), status_since=D(2014, 10, 1))),
        A.DUAL_TRAINING,
        D(2014, 11, 5),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 32 Abs. 2 Nr. 2 BeschV@2013-07-01",),
    ),
    Case(
        "2014-11-05 duldung in the reception centre banned",
        facts("duldung_60a", **dict(DUL_2014, reception_centre=True)),
        A.EMPLOYMENT,
        D(2014, 11, 5),
        BAN,
        flags=("duldung_eae_old",),
    ),
    Case(
        "2013-07-01 refugee title by § 25(2)",
        facts("ae_25_2_refugee", status_since=D(2012, 5, 1)),
        A.SELF_EMPLOYMENT,
        D(2013, 7, 1),
        OUT,
        "by_law",
        cites=("§ 25 Abs. 1, 2 AufenthG@2013-07-01",),
    ),
    Case(
        "2013-12-01 subsidiary protection title by § 25(2)",
        facts("ae_25_2_subsidiary", status_since=D(2013, 12, 1)),
        A.EMPLOYMENT,
        D(2013, 12, 1),
        OUT,
        "by_law",
        cites=("§ 25 Abs. 2 AufenthG@2013-12-01",),
    ),
    Case(
        "2013-08-01 § 25(3) job: authority's permission, BA-free",
        facts("ae_25_3", status_since=D(2012, 5, 1)),
        A.EMPLOYMENT,
        D(2013, 8, 1),
        PERM,
        "discretion",
        "abh",
        False,
        cites=("§ 31 BeschV@2013-07-01", "§ 25 Abs. 3–5 AufenthG@2013-07-01"),
    ),
]
HISTORIC_CASES += LAW_2013_CASES

# The other side of the change dates not covered above.
EDGE_CASES = [
    Case(
        "2014-11-30 gestattung: last day of the date flag",
        facts("gestattung", **SY_GEST_2014),
        A.EMPLOYMENT,
        D(2014, 11, 30),
        WAIT,
        earliest=D(2014, 12, 1),
        flags=("nov_2014_dates",),
    ),
    Case(
        "2014-12-31 duldung other internship before the minimum wage act",
        facts("duldung_60a", **DUL_2014),
        A.INTERNSHIP_OTHER,
        D(2014, 12, 31),
        PERM,
        ba=True,
        no_flags=("internship_character",),
    ),
    Case(
        "2015-01-01 duldung other internship under § 22 MiLoG",
        facts("duldung_60a", **DUL_2014),
        A.INTERNSHIP_OTHER,
        D(2015, 1, 1),
        PERM,
        ba=True,
        cites=("§ 22 Abs. 1 MiLoG@2015-01-01",),
        flags=("internship_character",),
    ),
    Case(
        "2020-06-30 duldung light: last day the transitional rule is asked",
        facts("duldung_60b", status_since=D(2019, 8, 21)),
        A.EMPLOYMENT,
        D(2020, 6, 30),
        BAN,
        flags=("transitional_105",),
    ),
    Case(
        "2026-02-01 Albanian applicant: § 29b in force, ordinance not yet",
        facts("gestattung", **dict(GEST, nationality="AL", asylum_applied_on=D(2023, 1, 10))),
        A.EMPLOYMENT,
        D(2026, 2, 1),
        BAN,
        cites=("§ 61 Abs. 2 AsylG@2026-02-01", "Anlage II zu § 29a AsylG@2023-12-23"),
    ),
]
HISTORIC_CASES += EDGE_CASES
CASES += HISTORIC_CASES

# Statuses without a title (Fiktionsbescheinigung, visa-free stay): one case each here so
# that every status is covered; the full table is in test_rules_engine_statuses.py.
CASES += [
    Case(
        "§ 81(3) stay deemed permitted",
        facts("fiktion_stay"),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        PERM,
        "discretion",
    ),
    Case("§ 24 applied for", facts("fiktion_24"), A.EMPLOYMENT, D(2023, 10, 1), OUT, "by_law"),
    Case("visa-free short stay", facts("visa_free"), A.EMPLOYMENT, D(2023, 10, 1), BAN),
]


def _cited(answer: Any) -> set[str]:
    return {f"{c.norm}@{c.valid_from.isoformat()}" for c in answer.citations}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(case: Case) -> None:
    answer = assess(case.facts, case.activity, case.on)
    assert answer.outcome == case.outcome
    if case.decision:
        assert answer.decision == case.decision
    if case.authority:
        assert answer.authority == case.authority
    if case.ba is not None:
        assert answer.ba_approval is case.ba
    if case.outcome == WAIT or case.earliest:
        assert answer.earliest == case.earliest
    else:
        assert answer.earliest is None
    assert set(case.cites) <= _cited(answer), _cited(answer)
    codes = {f.code for f in answer.flags}
    assert set(case.flags) <= codes, codes
    assert not set(case.no_flags) & codes
    ends = {w.code: w.ends_on for w in answer.waiting_periods}
    for code, last_day in case.waits.items():
        assert ends.get(code) == last_day, ends
    if case.priority:
        assert answer.priority_check == case.priority


def test_suite_covers_every_status_activity_and_ban() -> None:
    assert len(CASES) >= 40
    assert len(HISTORIC_CASES) >= 20
    statuses = {c.facts.status for c in CASES}
    regime_statuses = set().union(*(r.statuses for r in rule_data().regimes))
    assert regime_statuses <= statuses
    assert {c.activity for c in CASES} == set(A)


# Change dates whose day before is outside the data for the status concerned (tested in
# test_not_covered below).
BEFORE_NOT_COVERED = {D(2013, 7, 1), D(2013, 12, 1), D(2024, 3, 1)}


def _all_cases() -> list[Case]:
    """The cases of this file and of the topic files beside it (test_rules_engine_*.py)."""
    cases = list(CASES)
    for path in sorted(Path(__file__).parent.glob("test_rules_engine_*.py")):
        cases += getattr(importlib.import_module(f"tests.{path.stem}"), "CASES", [])
    return cases


def test_both_sides_of_every_change_date() -> None:
    days = {c.on for c in _all_cases()}
    for change in rule_data().change_dates:
        assert change in days, change
        if change not in BEFORE_NOT_COVERED:
            assert change - datetime.timedelta(days=1) in days, change


def test_every_answer_cites_every_conclusion() -> None:
    for case in CASES:
        answer = assess(case.facts, case.activity, case.on)
        topics = {g.topic for g in answer.grounds if g.citations}
        assert "outcome" in topics, case.id
        if answer.outcome in ("needs_permission", "not_yet"):
            assert {"decision", "authority", "ba"} <= topics, case.id


@pytest.mark.parametrize(
    ("status", "on"),
    [
        ("gestattung", D(2013, 6, 30)),
        ("duldung_60a", D(2013, 6, 30)),
        ("ae_25_2_subsidiary", D(2013, 11, 30)),  # subsidiary protection was § 25(3) until then
        ("ae_25b", D(2015, 7, 31)),  # § 25b begins on 1 Aug 2015
        ("ae_16a", D(2020, 2, 29)),  # purpose titles were recast by the FEG: not encoded before
        ("ae_19d", D(2020, 2, 29)),
        ("duldung_60c", D(2015, 7, 31)),
        ("duldung_60b", D(2019, 8, 20)),
        ("duldung_60d", D(2019, 12, 31)),
        ("ae_16g", D(2024, 2, 29)),
        ("ae_104c", D(2022, 12, 30)),
        ("other", D(2024, 5, 1)),
    ],
)
def test_not_covered(status: str, on: datetime.date) -> None:
    with pytest.raises(NotCovered):
        assess(facts(status), A.EMPLOYMENT, on)


@pytest.mark.parametrize(
    ("start", "months", "last_day"),
    [
        (D(2023, 1, 15), 3, D(2023, 4, 14)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),  # § 188(3) BGB: no 31 Feb
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2022, 12, 1), 48, D(2026, 11, 30)),
    ],
)
def test_period_end(start: datetime.date, months: int, last_day: datetime.date) -> None:
    assert period_end(start, months) == last_day


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "regimes.toml",
            'norms = ["§ 60b Abs. 5 S. 2 AufenthG"]',
            'norms = ["§ 60b Abs. 9 AufenthG"]',
            "unknown norm",
        ),
        ("regimes.toml", 'flags = ["transitional_104c"]', 'flags = ["no_such_flag"]', "unknown flag"),
        ("regimes.toml", 'code = "accelerated_procedure"', 'code = "gut_feeling"', "unknown ban"),
        ("regimes.toml", 'start = "stay_since"', 'start = "birthday"', "unknown fact"),
        # § 16g cited in a version that begins before § 16g existed.
        (
            "regimes.toml",
            'since = 2024-03-01\nstatuses = ["ae_16g"]',
            'since = 2023-03-01\nstatuses = ["ae_16g"]',
            "before its first version",
        ),
        ("flags.toml", 'effect = "other_purpose"', 'effect = "maybe"', "unknown effect"),
        ("regimes.toml", 'outcomes = ["rejected"]', 'outcomes = ["lost"]', "unknown asylum outcome"),
        ("flags.toml", 'relevant = "safe_country"', 'relevant = "sometimes"', "unknown relevance"),
        # § 60c pre-check flag cited for training in 2015, before § 60c existed.
        (
            "activities.toml",
            "earlier = [{ until = 2019-12-31, flags = [] }]",
            "earlier = [{ until = 2019-12-31 }]",
            "before its first version",
        ),
        # A special citing § 60c from 2015, before § 60c existed.
        (
            "regimes.toml",
            'since = 2020-01-01\nstatus = "duldung_60c"',
            'since = 2015-01-01\nstatus = "duldung_60c"',
            "before its first version",
        ),
        # Two regimes for § 25(3) on the same day.
        (
            "regimes.toml",
            'statuses = ["niederlassung"]',
            'statuses = ["niederlassung", "ae_25_3"]',
            "overlap",
        ),
        (
            "activities.toml",
            "[activities.volunteering]",
            "[activities.gardening]",
            "exactly the engine's activities",
        ),
    ],
)
def test_inconsistent_rule_data_are_refused(
    tmp_path: Path, file: str, old: str, new: str, message: str
) -> None:
    for source in DATA_DIR.glob("*.toml"):
        shutil.copy(source, tmp_path / source.name)
    assert load(tmp_path).data_as_of == rule_data().data_as_of  # the copy itself is fine
    text = (tmp_path / file).read_text()
    assert old in text
    (tmp_path / file).write_text(text.replace(old, new, 1))
    with pytest.raises(RuleDataError, match=message):
        load(tmp_path)
