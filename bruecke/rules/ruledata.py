"""Loads the versioned rule data in bruecke/rules/data/*.toml (once per process) and has
them checked (datacheck.py), so that a mistake in a new version fails the test suite
instead of giving a wrong answer.
"""

from __future__ import annotations

import datetime
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from bruecke.rules.datacheck import check
from bruecke.rules.datamodel import (
    ActivityRule,
    Ban,
    FlagRule,
    Grandfathering,
    Listing,
    NormVersion,
    ReceptionObligation,
    Regime,
    RuleData,
    RuleDataError,
    SafeList,
    Special,
    Wait,
)
from bruecke.rules.priority import parse_districts, parse_rule

DATA_DIR = Path(__file__).parent / "data"
__all__ = ["DATA_DIR", "RuleDataError", "chain_versions", "load", "read_data", "rule_data"]


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
        self_employment_norms=tuple(item.get("self_employment_norms", ("§ 4a Abs. 4 AufenthG",))),
        notes=tuple((n["code"], tuple(n["norms"])) for n in item.get("notes", ())),
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


def _reception(raw: dict[str, Any]) -> tuple[ReceptionObligation, ...]:
    items = [dict(item, key="reception") for item in raw["obligation"]]
    return tuple(
        ReceptionObligation(
            since=item["since"],
            until=until,
            months=item["months"],
            norm=item["norm"],
            family_months=item.get("family_months", 0),
            safe_country_norm=item.get("safe_country_norm", ""),
            safe_lists=tuple(item.get("safe_lists", ())),
            families_excepted=item.get("families_excepted", False),
            extension_months=item.get("extension_months", 0),
            extension_flag=item.get("extension_flag", ""),
        )
        for item, until in chain_versions(items, "key")
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
        # Specials with conditions run beside the unconditional ones (their own chain).
        item["pair"] = "/".join([item["status"], item["activity"], *item.get("when", ())])
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
            when=tuple(s.get("when", ())),
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
    reception = _reception(read_data("reception.toml", directory))
    changes |= {r.since for r in reception}
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
        reception=reception,
    )
    check(data)
    return data
