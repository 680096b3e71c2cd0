"""The rule data as Python objects: what the loader (ruledata.py) builds from the TOML files
and the engine reads. Lookups by date live here; parsing and checks do not."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bruecke.rules.priority import DistrictList, PriorityRule
from bruecke.rules.types import Citation, NotCovered


class RuleDataError(ValueError):
    pass


@dataclass(frozen=True)
class NormVersion:
    since: datetime.date
    until: datetime.date | None  # last day, None while in force
    at_least: bool


@dataclass(frozen=True)
class Wait:
    code: str
    months: int
    start: str
    norm: str
    ba_required_only: bool = False
    when: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ban:
    code: str
    norm: str
    lists: tuple[str, ...] = ()
    other_state_exception: bool = False
    outcomes: tuple[str, ...] = ()  # Duldung bans: asylum outcomes that trigger (empty: all)


@dataclass(frozen=True)
class Regime:
    key: str
    since: datetime.date
    until: datetime.date | None
    statuses: frozenset[str]
    eae: bool | None
    kind: str
    title: bool
    decision: str
    authority: str
    norms: tuple[str, ...]
    ba_norms: tuple[str, ...] = ()
    ba_free: bool = False
    four_year_rule: bool = False
    purposes: frozenset[str] = frozenset()
    waits: tuple[Wait, ...] = ()
    decision_when: tuple[tuple[str, str], ...] = ()
    bans: tuple[Ban, ...] = ()
    flags: tuple[str, ...] = ()
    ba_flags: tuple[str, ...] = ()  # raised only when the answer needs BA approval
    priority_check: PriorityRule | None = None  # the BA's priority check, where the law had one
    self_employment_norms: tuple[str, ...] = ("§ 4a Abs. 4 AufenthG",)
    # Notes on what the authority checks itself (ground topic "note"): (code, norms).
    notes: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def covers(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class Special:
    since: datetime.date
    until: datetime.date | None
    status: str
    activity: str
    norms: tuple[str, ...]
    outcome: str = ""
    decision: str = ""
    authority: str = ""
    flags: tuple[str, ...] = ()
    ground: str = ""  # text code of the ground; default special_<status>
    when: tuple[str, ...] = ()  # conditions that must all hold (fact names, "training")

    def covers(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class ActivityRule:
    since: datetime.date
    until: datetime.date | None
    kind: str
    training: bool
    ba: bool
    norms: tuple[str, ...]
    flags: tuple[str, ...]


@dataclass(frozen=True)
class FlagRule:
    norm: str
    effect: str
    trigger: bool
    relevant: str = "always"  # safe_country: only for nationals of a listed country; ba_required


@dataclass(frozen=True)
class Listing:
    code: str
    since: datetime.date
    until: datetime.date | None


@dataclass(frozen=True)
class SafeList:
    name: str
    norm: str
    uncertain: bool
    countries: tuple[Listing, ...]

    def lists(self, country: str, day: datetime.date) -> bool:
        return any(
            c.code == country and c.since <= day and (c.until is None or day <= c.until)
            for c in self.countries
        )


@dataclass(frozen=True)
class Grandfathering:
    norm: str
    countries: frozenset[str]
    asylum_norm: str = ""
    applied_by: datetime.date | None = None
    tolerated_on: datetime.date | None = None
    tolerated_requires_no_application: bool = False
    work_permission_on: datetime.date | None = None
    lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceptionObligation:
    """One version of the longest duration of the reception-centre obligation (§ 47 AsylG)."""

    since: datetime.date
    until: datetime.date | None
    months: int
    norm: str
    family_months: int = 0  # 0: no shorter limit for families with minor children
    safe_country_norm: str = ""  # safe-country nationals: for the whole procedure
    safe_lists: tuple[str, ...] = ()
    families_excepted: bool = False  # the safe-country rule does not bind families
    extension_months: int = 0  # a Land may extend the obligation (judgement flag)
    extension_flag: str = ""

    def covers(self, day: datetime.date) -> bool:
        return self.since <= day and (self.until is None or day <= self.until)


@dataclass(frozen=True)
class RuleData:
    data_as_of: datetime.date
    coverage_start: datetime.date
    norms: dict[str, tuple[NormVersion, ...]]
    regimes: tuple[Regime, ...]
    specials: tuple[Special, ...]
    activity_versions: dict[str, tuple[ActivityRule, ...]]
    flags: dict[str, FlagRule]
    safe_lists: dict[str, SafeList]
    applied_after: datetime.date
    grandfathering: tuple[Grandfathering, ...]
    districts: DistrictList
    change_dates: tuple[datetime.date, ...] = field(default=())
    reception: tuple[ReceptionObligation, ...] = ()

    def reception_obligation(self, day: datetime.date) -> ReceptionObligation | None:
        return next((r for r in self.reception if r.covers(day)), None)

    def eae_matters(self, status: str, day: datetime.date) -> bool:
        """Whether the reception-centre obligation selects the regime of `status` on `day`."""
        return any(status in r.statuses and r.eae is not None and r.covers(day) for r in self.regimes)

    def cite(self, norm: str, day: datetime.date) -> Citation:
        """The version of `norm` in force on `day`."""
        for version in self.norms[norm]:
            if version.since <= day and (version.until is None or day <= version.until):
                return Citation(norm=norm, valid_from=version.since, at_least=version.at_least)
        raise NotCovered(f"{norm} is not in force on {day.isoformat()}")

    def activity(self, code: str, day: datetime.date) -> ActivityRule:
        """The version of the activity's rule in force on `day` (e.g. internships BA-free since 2015)."""
        for version in self.activity_versions[code]:
            if version.since <= day and (version.until is None or day <= version.until):
                return version
        raise NotCovered(f"no rule for activity {code!r} on {day.isoformat()}")

    def work_permission_days(self) -> list[datetime.date]:
        """Cut-off days on which holding a work permission matters (grandfathering)."""
        return sorted({g.work_permission_on for g in self.grandfathering if g.work_permission_on})

    def regime_for(self, status: str, eae: bool | None, day: datetime.date) -> Regime | None:
        for regime in self.regimes:
            if status in regime.statuses and regime.eae in (None, eae) and regime.covers(day):
                return regime
        return None
