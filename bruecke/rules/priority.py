"""The BA's priority check (Vorrangprüfung) for Gestattung and Duldung until 5 Aug 2019.

Whether the BA, when it had to approve a job, also checked that no preferred worker was
available depended on the date, the months of stay and (6 Aug 2016 – 5 Aug 2019) the
employment-agency district of the workplace. The regime versions say which rule applied
(`priority_check` in regimes.toml); the district list is data/districts.toml.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from bruecke.rules.types import PriorityCheck

OTHER_DISTRICT = "other"  # a district of the Anlage: no priority check there
CHECK_NORMS = ("§ 32 Abs. 5 BeschV a.F.", "§ 39 Abs. 2 AufenthG a.F.")
EXCEPTIONS_FLAG = "priority_exceptions"


@dataclass(frozen=True)
class PriorityRule:
    """One version of the rule: abolished, or required until `free_after_months` of stay
    (0: no such limit), with exceptions for some jobs and / or the district list."""

    abolished: bool = False
    free_after_months: int = 0
    exceptions: bool = False
    districts: bool = False


@dataclass(frozen=True)
class District:
    code: str
    name: str
    land: str

    @property
    def label(self) -> str:
        return self.name if self.name.startswith(self.land) else f"{self.name} ({self.land})"


@dataclass(frozen=True)
class DistrictList:
    """The districts in which the check still applied while the Anlage was in force."""

    norm: str
    since: datetime.date
    until: datetime.date
    checked: tuple[District, ...]

    def find(self, code: str) -> District | None:
        return next((d for d in self.checked if d.code == code), None)


@dataclass(frozen=True)
class PriorityResult:
    state: PriorityCheck
    code: str  # ground text code
    norms: tuple[str, ...]
    detail: str = ""
    flags: tuple[str, ...] = ()


def parse_rule(raw: dict[str, Any] | None) -> PriorityRule | None:
    if raw is None:
        return None
    return PriorityRule(
        abolished=raw.get("abolished", False),
        free_after_months=raw.get("free_after_months", 0),
        exceptions=raw.get("exceptions", False),
        districts=raw.get("districts", False),
    )


def parse_districts(raw: dict[str, Any]) -> DistrictList:
    return DistrictList(
        norm=raw["norm"],
        since=raw["since"],
        until=raw["until"],
        checked=tuple(District(code=d["code"], name=d["name"], land=d["land"]) for d in raw["checked"]),
    )


def check(rule: PriorityRule, districts: DistrictList, district: str, stay_over: bool) -> PriorityResult:
    """The priority check for a job that needs BA approval. `stay_over`: the months of stay
    after which no check is made have passed (always False when the rule has no limit)."""
    if rule.abolished:
        return PriorityResult(PriorityCheck.NONE, "priority_abolished", ("§ 32 Abs. 1 BeschV",))
    if stay_over:
        detail = str(rule.free_after_months)
        return PriorityResult(PriorityCheck.NONE, "priority_after_stay", ("§ 32 Abs. 5 BeschV a.F.",), detail)
    flags = (EXCEPTIONS_FLAG,) if rule.exceptions else ()
    if rule.districts:
        anlage = (districts.norm, "§ 32 Abs. 5 BeschV a.F.")
        if district == OTHER_DISTRICT:
            return PriorityResult(PriorityCheck.NONE, "priority_district_free", anlage)
        found = districts.find(district)
        if found is None:
            return PriorityResult(PriorityCheck.OPEN, "priority_district_unknown", anlage, flags=flags)
        return PriorityResult(PriorityCheck.REQUIRED, "priority_district_checked", anlage, found.label, flags)
    return PriorityResult(PriorityCheck.REQUIRED, "priority_required", CHECK_NORMS, flags=flags)


EXCEPTION_RESULT = PriorityResult(PriorityCheck.NONE, "priority_exception", ("§ 32 Abs. 5 BeschV a.F.",))
