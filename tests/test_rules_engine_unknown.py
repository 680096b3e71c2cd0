"""Table-driven tests of the second round of the engine: training begun during the asylum
procedure (§ 60c Abs. 1 S. 1 Nr. 1, S. 3 AufenthG; § 16g; § 61 Abs. 1 AsylG n.F.), unknown
yes / no facts shown as alternatives, the durations of the reception-centre obligation
(§ 47 AsylG) and the notes on the authority's own checks. Written from
/work/shared/design/work-permission-law.md (§§ 1a, 1c, 3); citations "norm@valid-from".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from bruecke.rules.engine import assess
from bruecke.rules.types import TRI_STATE_FACTS, AsylumOutcome
from bruecke.rules.types import Activity as A
from tests.test_rules_engine import BAN, PERM, WAIT, Case, D, _cited, facts

REJECTED = {"asylum_outcome": AsylumOutcome.REJECTED}
TRAINING = {"training_started_during_procedure": True, "training_started_on": D(2021, 9, 1)}
# Rejected asylum seeker, tolerated since 2022, training begun in 2021 during the procedure.
DUL = {
    "status_since": D(2022, 1, 1),
    "stay_since": D(2021, 6, 1),
    "asylum_applied_on": D(2021, 6, 1),
    **REJECTED,
}
DUL_OLD = {
    "status_since": D(2019, 1, 1),
    "stay_since": D(2018, 1, 1),
    "asylum_applied_on": D(2018, 1, 1),
    **REJECTED,
}
# Tolerated in the reception centre since 1 May 2026 (GEAS change on 12 Jun 2026).
DUL_EAE_2026 = dict(DUL, reception_centre=True, status_since=D(2026, 5, 1))
GEST = {"asylum_applied_on": D(2023, 3, 1), "status_since": D(2023, 3, 1), "stay_since": D(2023, 3, 1)}
NO_EXTENSION = {"eae_extension": False}
SEC_60C = (
    "§ 60c Abs. 1 S. 1 Nr. 1 AufenthG@2020-01-01",
    "§ 60c Abs. 1 S. 3 AufenthG@2020-01-01",
)


@dataclass(frozen=True)
class UCase(Case):
    alternatives: tuple[str, ...] = ()  # facts that must be offered as alternatives
    no_alternatives: tuple[str, ...] = ()  # facts that must not be
    grounds: tuple[str, ...] = ()  # ground codes that must be given
    no_grounds: tuple[str, ...] = ()
    no_cites: tuple[str, ...] = ()


def gest(**kw: Any) -> dict[str, Any]:
    """A Gestattung since the asylum application (the stay counts from then too)."""
    applied = kw.get("asylum_applied_on", GEST["asylum_applied_on"])
    return dict(GEST, status_since=applied, stay_since=applied) | kw


CASES: list[Case] = [
    # --- training begun with permission during the asylum procedure (§ 60c Abs. 1 S. 1 Nr. 1)
    UCase(
        "2019-12-31 training begun in the procedure: old law, discretion",
        facts("duldung_60a", **dict(DUL_OLD, **TRAINING)),
        A.DUAL_TRAINING,
        D(2019, 12, 31),
        PERM,
        "discretion",
        "abh",
        False,
        no_grounds=("special_training_begun_in_procedure",),
    ),
    UCase(
        "2020-01-01 training begun in the procedure: entitlement (§ 60c Abs. 1 S. 3)",
        facts("duldung_60a", **dict(DUL_OLD, **TRAINING)),
        A.DUAL_TRAINING,
        D(2020, 1, 1),
        PERM,
        "entitlement",
        "abh",
        False,
        cites=SEC_60C,
        flags=("precheck_60c",),
        grounds=("special_training_begun_in_procedure",),
    ),
    UCase(
        "2024-02-29 training begun in the procedure: entitlement, no § 16g yet",
        facts("duldung_60a", **dict(DUL, **TRAINING)),
        A.DUAL_TRAINING,
        D(2024, 2, 29),
        PERM,
        "entitlement",
        "abh",
        cites=SEC_60C,
        no_cites=("§ 16g Abs. 1 AufenthG@2024-03-01",),
    ),
    UCase(
        "2024-03-01 training begun in the procedure: entitlement, § 16g the other route",
        facts("duldung_60a", **dict(DUL, **TRAINING)),
        A.DUAL_TRAINING,
        D(2024, 3, 1),
        PERM,
        "entitlement",
        "abh",
        cites=(*SEC_60C, "§ 16g Abs. 1 AufenthG@2024-03-01"),
        grounds=("special_training_begun_in_procedure_16g",),
    ),
    UCase(
        "training begun while tolerated: Soll, not the entitlement",
        facts("duldung_60a", **dict(DUL, training_started_during_procedure=False)),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "regular",
        "abh",
        no_alternatives=("training_started_during_procedure",),
        no_grounds=("special_training_begun_in_procedure_16g",),
    ),
    UCase(
        "training begun when? unknown: Soll, the entitlement as alternative",
        facts("duldung_60a", **DUL),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "regular",
        "abh",
        alternatives=("training_started_during_procedure",),
    ),
    UCase(
        "training begun in the procedure, other job: no entitlement from § 60c",
        facts("duldung_60a", **dict(DUL, **TRAINING)),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "regular",
        "abh",
        True,
        no_grounds=("special_training_begun_in_procedure_16g",),
    ),
    UCase(
        "Ausbildungsduldung: the training needs the permission the authority must grant",
        facts("duldung_60c", **DUL),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "entitlement",
        "abh",
        False,
        cites=("§ 60c Abs. 1 S. 3 AufenthG@2020-01-01",),
    ),
    UCase(
        "Ausbildungsduldung in the reception centre: the central authority grants it",
        facts("duldung_60c", **dict(DUL, reception_centre=True)),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "entitlement",
        "central_abh",
        False,
    ),
    UCase(
        "Ausbildungsduldung after training begun in the procedure: noted",
        facts("duldung_60c", **dict(DUL, **TRAINING)),
        A.DUAL_TRAINING,
        D(2024, 5, 1),
        PERM,
        "entitlement",
        "abh",
        cites=SEC_60C,
        grounds=("special_training_begun_in_procedure",),
    ),
    UCase(
        "2026-06-11 reception centre, training begun in the procedure, other job: waits 6 months",
        facts("duldung_60a", **dict(DUL_EAE_2026, **TRAINING)),
        A.EMPLOYMENT,
        D(2026, 6, 11),
        WAIT,
        earliest=D(2026, 6, 12),
    ),
    UCase(
        "2026-06-12 reception centre, training begun in the procedure: no waiting (§ 61 Abs. 1 n.F.)",
        facts("duldung_60a", **dict(DUL_EAE_2026, **TRAINING)),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        PERM,
        "entitlement",
        "central_abh",
        cites=("§ 61 Abs. 1 AsylG@2026-06-12",),
    ),
    UCase(
        "2026-06-12 reception centre, permission in the procedure unknown: alternatives",
        facts("duldung_60a", **DUL_EAE_2026),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        WAIT,
        earliest=D(2026, 11, 1),
        alternatives=(
            "identity_by_passport",
            "permitted_during_procedure",
            "training_started_during_procedure",
        ),
    ),
    UCase(
        "2026-06-12 reception centre, passport known not to exist: fewer alternatives",
        facts(
            "duldung_60a",
            **dict(DUL_EAE_2026, identity_by_passport=False, training_started_during_procedure=False),
        ),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        WAIT,
        earliest=D(2026, 11, 1),
        alternatives=("permitted_during_procedure",),
        no_alternatives=("identity_by_passport", "training_started_during_procedure"),
    ),
    UCase(
        "2026-06-11 reception centre, training begun in the procedure: entitlement assumed, asked",
        facts("duldung_60a", **dict(DUL_EAE_2026, **TRAINING)),
        A.DUAL_TRAINING,
        D(2026, 6, 11),
        PERM,
        "entitlement",
        "central_abh",
        flags=("training_60c_eae",),
        grounds=("training_60c_eae_assumed",),
    ),
    UCase(
        "2026-06-12 reception centre, training begun in the procedure: no wait by law",
        facts("duldung_60a", **dict(DUL_EAE_2026, **TRAINING)),
        A.DUAL_TRAINING,
        D(2026, 6, 12),
        PERM,
        "entitlement",
        "central_abh",
        no_flags=("training_60c_eae",),
        grounds=("training_permitted_in_procedure_eae",),
    ),
    # --- unknown facts that change the answer
    UCase(
        "GEAS reception centre: accelerated procedure unknown",
        facts("gestattung", **gest(reception_centre=True, asylum_registered_on=D(2026, 6, 15))),
        A.EMPLOYMENT,
        D(2026, 10, 1),
        PERM,
        "entitlement",
        "central_abh",
        alternatives=("accelerated_procedure", "dublin_or_other_state_protection"),
    ),
    UCase(
        "GEAS reception centre: accelerated procedure known not applied",
        facts(
            "gestattung",
            **gest(
                reception_centre=True,
                asylum_registered_on=D(2026, 6, 15),
                accelerated_procedure=False,
                dublin_or_other_state_protection=False,
            ),
        ),
        A.EMPLOYMENT,
        D(2026, 10, 1),
        PERM,
        "entitlement",
        "central_abh",
        no_alternatives=("accelerated_procedure", "dublin_or_other_state_protection"),
    ),
    UCase(
        "reception centre 2024: rejection as manifestly unfounded unknown",
        facts("gestattung", **gest(reception_centre=True)),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        "entitlement",
        "central_abh",
        alternatives=("rejected_manifestly_unfounded",),
    ),
    UCase(
        "safe-country Duldung: protection in another state unknown",
        facts("duldung_60a", **dict(DUL, nationality="AL", asylum_applied_on=D(2016, 1, 1))),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        alternatives=("protected_in_other_state",),
    ),
    UCase(
        "safe-country Duldung, withdrawn: legal information unknown",
        facts(
            "duldung_60a",
            **dict(
                DUL,
                nationality="AL",
                asylum_applied_on=D(2016, 1, 1),
                asylum_outcome=AsylumOutcome.WITHDRAWN,
                protected_in_other_state=False,
            ),
        ),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        BAN,
        "ban",
        alternatives=("withdrawn_after_legal_information",),
        no_alternatives=("protected_in_other_state", "unaccompanied_minor"),
    ),
    UCase(
        "refugee title: unknown facts change nothing",
        facts("ae_25_2_refugee"),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        "allowed",
        "by_law",
        "none",
        False,
        no_alternatives=("reception_centre", "accelerated_procedure"),
        no_grounds=("abh_checks_conditions",),
    ),
    # --- reception-centre obligation not known: its longest duration (§ 47 AsylG)
    UCase(
        "2015-10-23 obligation unknown: no duration in the data, both answers",
        facts("gestattung", **gest(asylum_applied_on=D(2015, 1, 1))),
        A.EMPLOYMENT,
        D(2015, 10, 23),
        PERM,
        alternatives=("reception_centre",),
        no_grounds=("reception_obligation_ended",),
    ),
    UCase(
        "2015-10-24 obligation unknown: six months over, read as no",
        facts("gestattung", **gest(asylum_applied_on=D(2015, 1, 1))),
        A.EMPLOYMENT,
        D(2015, 10, 24),
        PERM,
        cites=("§ 47 Abs. 1 AsylG@2015-10-24",),
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
    ),
    UCase(
        "2017-07-28 obligation unknown: six months over, no Land extension yet",
        facts("gestattung", **gest(asylum_applied_on=D(2017, 1, 1))),
        A.EMPLOYMENT,
        D(2017, 7, 28),
        PERM,
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
        no_flags=("eae_extension",),
    ),
    UCase(
        "2017-07-29 obligation unknown: a Land extension to 24 months possible",
        facts("gestattung", **gest(asylum_applied_on=D(2017, 1, 1))),
        A.EMPLOYMENT,
        D(2017, 7, 29),
        PERM,
        alternatives=("reception_centre",),
        flags=("eae_extension",),
        waits={"reception_obligation": D(2018, 12, 31)},
    ),
    UCase(
        "2019-08-20 obligation unknown, no extension: six months over",
        facts(
            "gestattung",
            **gest(asylum_applied_on=D(2018, 6, 1), judgements=NO_EXTENSION),
        ),
        A.EMPLOYMENT,
        D(2019, 8, 20),
        PERM,
        cites=("§ 47 Abs. 1 AsylG@2015-10-24", "§ 47 Abs. 1b AsylG@2017-07-29"),
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
    ),
    UCase(
        "2019-08-21 obligation unknown: up to 18 months, may still run",
        facts(
            "gestattung",
            **gest(asylum_applied_on=D(2018, 6, 1), judgements=NO_EXTENSION),
        ),
        A.EMPLOYMENT,
        D(2019, 8, 21),
        PERM,
        alternatives=("reception_centre",),
        no_grounds=("reception_obligation_ended",),
        waits={"reception_obligation": D(2019, 11, 30)},
    ),
    UCase(
        "18 months: last day of the obligation, both answers",
        facts("gestattung", **gest(judgements=NO_EXTENSION)),
        A.EMPLOYMENT,
        D(2024, 8, 31),
        PERM,
        "discretion",
        "abh",
        alternatives=("reception_centre",),
        no_flags=("eae_extension",),
    ),
    UCase(
        "18 months over, extension judged no: read as no",
        facts("gestattung", **gest(judgements=NO_EXTENSION)),
        A.EMPLOYMENT,
        D(2024, 9, 1),
        PERM,
        "discretion",
        "abh",
        cites=("§ 47 Abs. 1 AsylG@2019-08-21",),
        flags=("eae_extension",),
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
    ),
    UCase(
        "18 months over, extension not answered: the question, both answers",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2024, 9, 1),
        PERM,
        flags=("eae_extension",),
        alternatives=("reception_centre",),
    ),
    UCase(
        "24 months: last day of the longest obligation",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2025, 2, 28),
        PERM,
        alternatives=("reception_centre",),
        waits={"reception_obligation": D(2025, 2, 28)},
    ),
    UCase(
        "24 months over: read as no even without an answer",
        facts("gestattung", **GEST),
        A.EMPLOYMENT,
        D(2025, 3, 1),
        PERM,
        cites=("§ 47 Abs. 1 AsylG@2019-08-21", "§ 47 Abs. 1b AsylG@2017-07-29"),
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
    ),
    UCase(
        "family with minor children: six months, last day",
        facts("gestattung", **gest(with_minor_children=True, judgements=NO_EXTENSION)),
        A.EMPLOYMENT,
        D(2023, 8, 31),
        PERM,
        alternatives=("reception_centre",),
    ),
    UCase(
        "family with minor children: six months over",
        facts("gestattung", **gest(with_minor_children=True, judgements=NO_EXTENSION)),
        A.EMPLOYMENT,
        D(2023, 9, 1),
        PERM,
        no_alternatives=("reception_centre",),
        grounds=("reception_obligation_ended",),
    ),
    UCase(
        "children not known: the longer duration counts",
        facts("gestattung", **gest(judgements=NO_EXTENSION)),
        A.EMPLOYMENT,
        D(2023, 9, 1),
        PERM,
        alternatives=("reception_centre",),
        no_grounds=("reception_obligation_ended",),
    ),
    UCase(
        "safe-country national: obligation for the whole procedure (§ 47 Abs. 1a)",
        facts(
            "duldung_60a",
            **dict(DUL, nationality="MA", asylum_applied_on=D(2024, 1, 1), status_since=D(2025, 6, 1)),
        ),
        A.DUAL_TRAINING,
        D(2026, 8, 1),
        BAN,
        no_grounds=("reception_obligation_ended",),
    ),
    UCase(
        "2026-06-11 obligation unknown after 18 months: the Land extension question",
        facts("gestattung", **gest(asylum_applied_on=D(2024, 7, 1))),
        A.EMPLOYMENT,
        D(2026, 6, 11),
        PERM,
        "discretion",
        flags=("eae_extension",),
        no_flags=("eae_extension_2026",),
        alternatives=("reception_centre",),
    ),
    UCase(
        "2026-06-12 obligation unknown after 18 months: § 47 Abs. 1d",
        facts("gestattung", **gest(asylum_applied_on=D(2024, 7, 1))),
        A.EMPLOYMENT,
        D(2026, 6, 12),
        PERM,
        "entitlement",
        flags=("eae_extension_2026",),
        no_flags=("eae_extension",),
        alternatives=("reception_centre",),
    ),
    # --- notes on the authority's own checks
    UCase(
        "2020-02-29 no BA approval: no norm for the authority's check yet",
        facts("duldung_60a", **DUL_OLD),
        A.DUAL_TRAINING,
        D(2020, 2, 29),
        PERM,
        ba=False,
        no_grounds=("abh_checks_conditions",),
    ),
    UCase(
        "2020-03-01 no BA approval: the authority checks the working conditions",
        facts("duldung_60a", **DUL_OLD),
        A.DUAL_TRAINING,
        D(2020, 3, 1),
        PERM,
        ba=False,
        cites=("§ 4a Abs. 2 S. 3 AufenthG@2020-03-01",),
        grounds=("abh_checks_conditions",),
    ),
    UCase(
        "BA approval needed: the BA checks the conditions, no note",
        facts("duldung_60a", **DUL),
        A.EMPLOYMENT,
        D(2024, 5, 1),
        PERM,
        ba=True,
        no_grounds=("abh_checks_conditions",),
    ),
    UCase(
        "2019-08-21 § 60b: the identity steps that lead to a regular Duldung",
        facts("duldung_60b", **DUL_OLD),
        A.EMPLOYMENT,
        D(2019, 8, 21),
        BAN,
        "ban",
        cites=("§ 60b Abs. 2 AufenthG@2019-08-21", "§ 60b Abs. 3 AufenthG@2019-08-21"),
        grounds=("identity_steps_60b",),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_unknown_case(case: Case) -> None:
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
    cited = _cited(answer)
    assert set(case.cites) <= cited, cited
    codes = {f.code for f in answer.flags}
    assert set(case.flags) <= codes, codes
    assert not set(case.no_flags) & codes, codes
    ends = {w.code: w.ends_on for w in answer.waiting_periods}
    for code, last_day in case.waits.items():
        assert ends.get(code) == last_day, ends
    if isinstance(case, UCase):
        offered = {a.fact for a in answer.alternatives}
        assert set(case.alternatives) <= offered, offered
        assert not set(case.no_alternatives) & offered, offered
        given = {g.code for g in answer.grounds}
        assert set(case.grounds) <= given, given
        assert not set(case.no_grounds) & given, given
        assert not set(case.no_cites) & cited, cited


def test_enough_new_cases() -> None:
    assert len(CASES) >= 25


def test_alternative_answers_differ_and_are_not_nested() -> None:
    answer = assess(facts("duldung_60a", **DUL), A.DUAL_TRAINING, D(2024, 5, 1))
    (alternative,) = [a for a in answer.alternatives if a.fact == "training_started_during_procedure"]
    assert alternative.if_yes.decision == "entitlement"
    assert alternative.if_no.decision == "regular"
    assert not alternative.if_yes.alternatives and not alternative.if_no.alternatives


def test_known_facts_give_no_alternatives() -> None:
    known = dict.fromkeys(TRI_STATE_FACTS, False)
    answer = assess(facts("duldung_60a", **dict(DUL, **known)), A.DUAL_TRAINING, D(2024, 5, 1))
    assert answer.alternatives == ()
