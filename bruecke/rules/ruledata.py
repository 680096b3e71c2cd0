"""Loads and checks the versioned rule data in bruecke/rules/data/*.toml (once per process).

The loader refuses inconsistent data (unknown norm, flag or activity names, a norm cited
before its first version) so that a mistake in a new version fails the test suite instead
of giving a wrong answer.
"""

from __future__ import annotations

import datetime
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bruecke.rules.priority import DistrictList, PriorityRule, parse_districts, parse_rule
from bruecke.rules.types import Activity, Citation, NotCovered

DATA_DIR = Path(__file__).parent / "data"
KINDS = {"by_law", "title_bound", "permission", "banned"}
BAN_CODES = {"safe_country_asylum", "safe_country_duldung", "manifestly_unfounded", "accelerated_procedure"}
OUTCOMES = {"rejected", "withdrawn", "none"}
RELEVANCE = {"always", "safe_country"}
CONDITIONS = {
    "dublin_or_other_state_protection",
    "identity_by_passport",
    "permitted_during_procedure",
    "training",
}
WAIT_STARTS = {"asylum_applied_on", "asylum_registered_on", "stay_since", "duldung_since"}


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
    self_employment_norms: tuple[str, ...] = ("§ 4a AufenthG",)

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
    relevant: str = "always"  # safe_country: asked only for nationals of a listed country


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

    def regime_for(self, status: str, eae: bool, day: datetime.date) -> Regime | None:
        for regime in self.regimes:
            if status in regime.statuses and regime.eae in (None, eae) and regime.covers(day):
                return regime
        return None


def read_data(name: str, directory: Path = DATA_DIR) -> dict[str, Any]:
    with (directory / name).open("rb") as handle:
        return tomllib.load(handle)


def chain_versions(
    items: list[dict[str, Any]], key: str
) -> list[tuple[dict[str, Any], datetime.date | None]]:
    """Each version runs until the day before the next version of the same key."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        groups.setdefault(item[key], []).append(item)
    chained = []
    for versions in groups.values():
        versions.sort(key=lambda v: v["since"])
        for current, following in zip(versions, [*versions[1:], None], strict=True):
            until = following["since"] - datetime.timedelta(days=1) if following else None
            chained.append((current, until))
    return chained


def _norms(raw: dict[str, Any]) -> dict[str, tuple[NormVersion, ...]]:
    norms = {}
    for name, entry in raw["norms"].items():
        items = [dict(v, name=name) for v in entry["versions"]]
        norms[name] = tuple(
            NormVersion(since=v["since"], until=until, at_least=v.get("at_least", False))
            for v, until in chain_versions(items, "name")
        )
    return norms


def _regime(item: dict[str, Any], until: datetime.date | None) -> Regime:
    waits = tuple(
        Wait(
            code=w["code"],
            months=w["months"],
            start=w["start"],
            norm=w["norm"],
            ba_required_only=w.get("applies") == "ba_required",
            when=tuple(w.get("when", ())),
            unless=tuple(w.get("unless", ())),
        )
        for w in item.get("waits", ())
    )
    bans = tuple(
        Ban(
            code=b["code"],
            norm=b["norm"],
            lists=tuple(b.get("lists", ())),
            other_state_exception=b.get("other_state_exception", False),
            outcomes=tuple(b.get("outcomes", ())),
        )
        for b in item.get("bans", ())
    )
    return Regime(
        key=item["key"],
        since=item["since"],
        until=until,
        statuses=frozenset(item["statuses"]),
        eae=item.get("eae"),
        kind=item["kind"],
        title=item.get("title", False),
        decision=item.get("decision", "by_law" if item["kind"] in {"by_law", "title_bound"} else ""),
        authority=item.get("authority", "none"),
        norms=tuple(item["norms"]),
        ba_norms=tuple(item.get("ba_norms", ())),
        ba_free=item.get("ba_free", False),
        four_year_rule=item.get("four_year_rule", False),
        purposes=frozenset(item.get("purposes", ())),
        waits=waits,
        decision_when=tuple((d["when"], d["decision"]) for d in item.get("decision_when", ())),
        bans=bans,
        flags=tuple(item.get("flags", ())),
        ba_flags=tuple(item.get("ba_flags", ())),
        priority_check=parse_rule(item.get("priority_check")),
        self_employment_norms=tuple(item.get("self_employment_norms", ("§ 4a AufenthG",))),
    )


def _activity_versions(code: str, entry: dict[str, Any], start: datetime.date) -> tuple[ActivityRule, ...]:
    """`earlier` lists older versions (each with its last day); fields not given there are
    the current version's. The current version runs from the day after the last `until`."""

    def rule(values: dict[str, Any], since: datetime.date, until: datetime.date | None) -> ActivityRule:
        return ActivityRule(
            since=since,
            until=until,
            kind=values["kind"],
            training=values.get("training", False),
            ba=values.get("ba", False),
            norms=tuple(values.get("norms", ())),
            flags=tuple(values.get("flags", ())),
        )

    versions, since = [], start
    current = {k: v for k, v in entry.items() if k != "earlier"}
    for older in sorted(entry.get("earlier", ()), key=lambda e: e["until"]):
        if older["until"] < since:
            raise RuleDataError(f"activity {code}: versions out of order")
        versions.append(rule(current | older, since, older["until"]))
        since = older["until"] + datetime.timedelta(days=1)
    versions.append(rule(current, since, None))
    return tuple(versions)


def _safe(raw: dict[str, Any]) -> tuple[dict[str, SafeList], datetime.date, tuple[Grandfathering, ...]]:
    lists = {
        name: SafeList(
            name=name,
            norm=entry["norm"],
            uncertain=entry.get("uncertain", False),
            countries=tuple(
                Listing(code=c["code"], since=c["since"], until=c.get("until")) for c in entry["countries"]
            ),
        )
        for name, entry in raw["lists"].items()
    }
    cutoffs = raw["cutoffs"]
    grandfathering = tuple(
        Grandfathering(
            norm=g["norm"],
            countries=frozenset(g["countries"]),
            asylum_norm=g.get("asylum_norm", ""),
            applied_by=g.get("applied_by"),
            tolerated_on=g.get("tolerated_on"),
            tolerated_requires_no_application=g.get("tolerated_requires_no_application", False),
            work_permission_on=g.get("work_permission_on"),
            lists=tuple(g.get("lists", ())),
        )
        for g in cutoffs["grandfathering"]
    )
    return lists, cutoffs["applied_after"], grandfathering


def _check(data: RuleData) -> None:
    """Every name the data use must be defined, and every cited norm in force when cited."""

    def norm_in_force(norm: str, since: datetime.date, where: str) -> None:
        if norm not in data.norms:
            raise RuleDataError(f"{where}: unknown norm {norm!r}")
        if data.norms[norm][0].since > max(since, data.coverage_start):
            raise RuleDataError(f"{where}: {norm!r} is cited before its first version")

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


@cache
def rule_data() -> RuleData:
    """The rule data of this release (loaded and checked once per process)."""
    return load(DATA_DIR)


def load(directory: Path) -> RuleData:
    """Loads and checks the rule data in `directory`; RuleDataError if inconsistent."""
    manifest = read_data("manifest.toml", directory)
    regimes_raw = read_data("regimes.toml", directory)
    safe_lists, applied_after, grandfathering = _safe(read_data("safe_countries.toml", directory))
    norms = _norms(read_data("norms.toml", directory))
    regimes = tuple(_regime(item, until) for item, until in chain_versions(regimes_raw["regime"], "key"))
    for item in regimes_raw.get("special", ()):
        item["pair"] = f"{item['status']}/{item['activity']}"
    specials = tuple(
        Special(
            since=s["since"],
            until=until,
            status=s["status"],
            activity=s["activity"],
            norms=tuple(s["norms"]),
            outcome=s.get("outcome", ""),
            decision=s.get("decision", ""),
            authority=s.get("authority", ""),
            flags=tuple(s.get("flags", ())),
            ground=s.get("ground", ""),
        )
        for s, until in chain_versions(list(regimes_raw.get("special", ())), "pair")
    )
    activities = {
        code: _activity_versions(code, a, manifest["coverage_start"])
        for code, a in read_data("activities.toml", directory)["activities"].items()
    }
    flags = {
        code: FlagRule(
            norm=f["norm"], effect=f["effect"], trigger=f["trigger"], relevant=f.get("relevant", "always")
        )
        for code, f in read_data("flags.toml", directory)["flags"].items()
    }
    changes = {r.since for r in regimes} | {v.since for versions in norms.values() for v in versions}
    changes |= {c.since for sl in safe_lists.values() for c in sl.countries}
    changes |= {s.since for s in specials} | {a.since for vs in activities.values() for a in vs}
    data = RuleData(
        data_as_of=manifest["data_as_of"],
        coverage_start=manifest["coverage_start"],
        norms=norms,
        regimes=regimes,
        specials=specials,
        activity_versions=activities,
        flags=flags,
        safe_lists=safe_lists,
        applied_after=applied_after,
        grandfathering=grandfathering,
        districts=parse_districts(read_data("districts.toml", directory)),
        change_dates=tuple(sorted(d for d in changes if d >= manifest["coverage_start"])),
    )
    _check(data)
    return data
