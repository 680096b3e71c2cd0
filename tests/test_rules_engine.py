"""Table-driven tests of the work-permission engine, written from the statutes as
summarised in /work/shared/design/work-permission-law.md (facts + reference date →
expected outcome, decision, authority, BA approval, earliest date and citations).

Citations are written "norm@valid-from"; a case lists the citations it must contain.
"""

from __future__ import annotations

import datetime
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
        cites=("§ 4a AufenthG@2020-03-01", "§ 25 AufenthG@2020-03-01"),
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
        cites=("§ 4a AufenthG@2024-03-01",),
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
        cites=("§ 2 FreizügG/EU@2020-03-01",),
    ),
    Case(
        "§ 25a volunteer service",
        facts("ae_25a"),
        A.VOLUNTEER_SERVICE,
        D(2023, 10, 1),
        OUT,
        cites=("§ 25a AufenthG@2022-12-31",),
    ),
    Case(
        "§ 25b self-employment",
        facts("ae_25b"),
        A.SELF_EMPLOYMENT,
        D(2024, 5, 1),
        OUT,
        cites=("§ 25b AufenthG@2022-12-31",),
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
        cites=("§ 24 AufenthG@2020-03-01", "§ 31 BeschV@2020-03-01"),
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
        cites=("§ 24 AufenthG@2022-06-01",),
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
        cites=("§ 104c AufenthG@2022-12-31",),
        no_flags=("transitional_104c",),
    ),
    Case(
        "§ 104c after sunset",
        facts("ae_104c", status_since=D(2023, 2, 1)),
        A.EMPLOYMENT,
        D(2026, 1, 1),
        OUT,
        cites=("§ 104c AufenthG@2026-01-01",),
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
        cites=("§ 16g AufenthG@2024-03-01",),
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
        cites=("§ 60b Abs. 5 AufenthG@2019-08-21",),
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
        cites=("§ 61 Abs. 1 AsylG@2024-02-27", "§ 29a AsylG, Anlage II@2023-12-23"),
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
        cites=("§ 61 Abs. 2 AsylG@2015-10-24", "§ 29a AsylG, Anlage II@2023-12-23"),
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
        cites=("§ 61 Abs. 2 AsylG@2026-02-01", "§ 29b AsylG@2026-02-01"),
    ),
    Case(
        "gestattung self-employment never",
        facts("gestattung", **GEST),
        A.SELF_EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        cites=("§ 4a AufenthG@2024-03-01",),
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
        cites=("§ 14 BeschV@2020-03-01", "§ 32 BeschV@2019-08-06"),
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
        cites=("§ 4a AufenthG@2020-03-01", "§ 32 BeschV@2019-08-06"),
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
        cites=("§ 60a Abs. 6 AufenthG@2022-12-31",),
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
        cites=("§ 32 BeschV@2023-11-18",),
    ),
    Case(
        "duldung Albanian rejected: § 60a(6) Nr.3",
        facts("duldung_60a", **dict(DUL, nationality="AL")),
        A.EMPLOYMENT,
        D(2023, 10, 1),
        BAN,
        "ban",
        cites=("§ 60a Abs. 6 AufenthG@2022-12-31", "§ 29a AsylG, Anlage II@2015-10-24"),
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
        cites=("§ 60a Abs. 6 AufenthG@2022-12-31",),
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
        cites=("§ 60a Abs. 6 AufenthG@2026-07-29", "Art. 61, 62 VO (EU) 2024/1348@2026-06-12"),
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
        OUT,
        "entitlement",
        "abh",
        False,
        cites=("§ 60c AufenthG@2020-01-01",),
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
        cites=("§ 60d AufenthG@2024-02-27",),
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
        cites=("§ 32 BeschV@2019-08-06",),
    ),
    Case(
        "§ 32 BeschV version from FEG 2.0 stage 1",
        facts("duldung_60a", **DUL),
        A.INTERNSHIP_OTHER,
        D(2023, 11, 18),
        PERM,
        "discretion",
        ba=True,
        cites=("§ 32 BeschV@2023-11-18",),
    ),
    Case(
        "§ 104c last day before sunset",
        facts("ae_104c", status_since=D(2023, 2, 1)),
        A.EMPLOYMENT,
        D(2025, 12, 31),
        OUT,
        cites=("§ 104c AufenthG@2022-12-31",),
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


def test_suite_covers_every_status_activity_and_ban() -> None:
    assert len(CASES) >= 40
    statuses = {c.facts.status for c in CASES}
    regime_statuses = set().union(*(r.statuses for r in rule_data().regimes))
    assert regime_statuses <= statuses
    assert {c.activity for c in CASES} == set(A)


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
        ("gestattung", D(2020, 2, 29)),
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
            'norms = ["§ 60b Abs. 5 AufenthG"]',
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
