"""Consistency checks of the rule data: every name the data use must be defined, every
cited norm in force when cited, and no two versions may answer for the same case."""

from __future__ import annotations

import datetime

from bruecke.rules.datamodel import Regime, RuleData, RuleDataError
from bruecke.rules.types import Activity

KINDS = {"by_law", "title_bound", "permission", "banned"}
BAN_CODES = {"safe_country_asylum", "safe_country_duldung", "manifestly_unfounded", "accelerated_procedure"}
OUTCOMES = {"rejected", "withdrawn", "none"}
RELEVANCE = {"always", "safe_country", "ba_required"}
CONDITIONS = {
    "dublin_or_other_state_protection",
    "identity_by_passport",
    "permitted_during_procedure",
    "reception_centre",
    "training",
    "training_started_during_procedure",
}
WAIT_STARTS = {"asylum_applied_on", "asylum_registered_on", "stay_since", "duldung_since"}

# Citation precision: a statute is cited with its Absatz ("§ 4a Abs. 1 AufenthG"), except
# provisions that have no Absätze, annexes, EU regulations (cited by Article) and guidance
# that is no statute. docs/rules.md explains the list; keep it short.
WITHOUT_ABSATZ = frozenset({"§ 30 BeschV", "§ 31 BeschV", "§ 87d AsylG"})
NOT_A_SECTION = ("Anlage", "Art. ", "BMI-")


def precise(norm: str) -> bool:
    """Whether a norm name is precise enough to cite (names its Absatz where it has one)."""
    if norm in WITHOUT_ABSATZ or norm.startswith(NOT_A_SECTION):
        return True
    return norm.startswith("§ ") and " Abs. " in norm


def check(data: RuleData) -> None:
    """Every name the data use must be defined, and every cited norm in force when cited."""

    def norm_in_force(norm: str, since: datetime.date, where: str) -> None:
        if norm not in data.norms:
            raise RuleDataError(f"{where}: unknown norm {norm!r}")
        if data.norms[norm][0].since > max(since, data.coverage_start):
            raise RuleDataError(f"{where}: {norm!r} is cited before its first version")

    for name in data.norms:
        if not precise(name):
            raise RuleDataError(f"norm {name!r} is cited without its Absatz")
    for regime in data.regimes:
        where = f"regime {regime.key} since {regime.since}"
        if regime.kind not in KINDS:
            raise RuleDataError(f"{where}: unknown kind {regime.kind!r}")
        norms = [
            *regime.norms,
            *regime.ba_norms,
            *(w.norm for w in regime.waits),
            *(b.norm for b in regime.bans),
        ]
        for norm in norms:
            norm_in_force(norm, regime.since, where)
        for wait in regime.waits:
            if wait.start not in WAIT_STARTS or not set(wait.when + wait.unless) <= CONDITIONS:
                raise RuleDataError(f"{where}: wait {wait.code} uses an unknown fact")
        for ban in regime.bans:
            if ban.code not in BAN_CODES or not set(ban.lists) <= set(data.safe_lists):
                raise RuleDataError(f"{where}: unknown ban {ban.code!r} or list")
            if not set(ban.outcomes) <= OUTCOMES:
                raise RuleDataError(f"{where}: unknown asylum outcome in ban {ban.code!r}")
        if regime.kind == "permission" and not regime.title:  # where the ban is cited
            for norm in regime.self_employment_norms:
                norm_in_force(norm, regime.since, where)
        for _code, note_norms in regime.notes:
            for norm in note_norms:
                norm_in_force(norm, regime.since, where)
        for flag in (*regime.flags, *regime.ba_flags):
            if flag not in data.flags:
                raise RuleDataError(f"{where}: unknown flag {flag!r}")
            norm_in_force(data.flags[flag].norm, regime.since, where)
        if not regime.purposes <= set(Activity):
            raise RuleDataError(f"{where}: unknown purpose")
        _check_priority(data, regime, where)
    _check_no_overlap(data.regimes)
    if set(data.activity_versions) != set(Activity):
        raise RuleDataError("activities.toml must define exactly the engine's activities")
    for code, versions in data.activity_versions.items():
        for activity in versions:
            where = f"activity {code} since {activity.since}"
            for norm in activity.norms:
                norm_in_force(norm, activity.since, where)
            for flag in activity.flags:
                if flag not in data.flags:
                    raise RuleDataError(f"{where}: unknown flag {flag!r}")
                norm_in_force(data.flags[flag].norm, activity.since, where)
    effects = {"ban", "discretion", "lift", "other_purpose", "no_priority_check", "none"}
    effects |= {f"as:{a}" for a in Activity}
    for code, flag_rule in data.flags.items():
        if flag_rule.norm not in data.norms:
            raise RuleDataError(f"flag {code}: unknown norm {flag_rule.norm!r}")
        if flag_rule.effect not in effects:
            raise RuleDataError(f"flag {code}: unknown effect {flag_rule.effect!r}")
        if flag_rule.relevant not in RELEVANCE:
            raise RuleDataError(f"flag {code}: unknown relevance {flag_rule.relevant!r}")
    for special in data.specials:
        where = f"special {special.status}/{special.activity} since {special.since}"
        for norm in special.norms:
            norm_in_force(norm, special.since, where)
        if not set(special.when) <= CONDITIONS:
            raise RuleDataError(f"{where}: unknown condition")
        if special.outcome in ("allowed", "banned") and (special.decision or special.authority):
            raise RuleDataError(f"{where}: an outcome {special.outcome!r} has no decision or authority")
        for flag in special.flags:
            if flag not in data.flags:
                raise RuleDataError(f"{where}: unknown flag {flag!r}")
            norm_in_force(data.flags[flag].norm, special.since, where)


def _check_priority(data: RuleData, regime: Regime, where: str) -> None:
    """The district list may only be used while the Anlage was in force."""
    rule = regime.priority_check
    if rule is None:
        return
    if rule.districts:
        inside = data.districts.since <= regime.since and (
            regime.until is not None and regime.until <= data.districts.until
        )
        if not inside:
            raise RuleDataError(f"{where}: the district list is used outside its dates")
        if data.districts.norm not in data.norms:
            raise RuleDataError(f"{where}: unknown norm {data.districts.norm!r}")
    if rule.exceptions and "priority_exceptions" not in data.flags:
        raise RuleDataError(f"{where}: unknown flag 'priority_exceptions'")


def _check_no_overlap(regimes: tuple[Regime, ...]) -> None:
    """At most one regime per status, reception-centre case and day: two overlapping
    intervals overlap on the later start, so checking every start is enough."""
    for regime in regimes:
        for status in regime.statuses:
            for eae in (True, False) if regime.eae is None else (regime.eae,):
                covering = [
                    r.key
                    for r in regimes
                    if status in r.statuses and r.eae in (None, eae) and r.covers(regime.since)
                ]
                if len(covering) > 1:
                    raise RuleDataError(
                        f"status {status} on {regime.since}: regimes {', '.join(covering)} overlap"
                    )
