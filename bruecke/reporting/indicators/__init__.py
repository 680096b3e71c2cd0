"""The ESF indicator report (shared/design/esf-indicators.md, §11 binding): the types the
pages, exports and the command share, and the engine that fills them.

`compute_report(request)` counts in SQL with a fixed number of queries (never one per
participant); `participants_behind(request, code, gender)` and `incomplete_participants`
give the records behind a number, *unscoped*: the caller narrows them to what the viewer
may see (`bruecke.reporting.scope.drill_down_participants`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from bruecke.projects.models import Project
from bruecke.reporting.scope import ReportScope

# The breakdown of every indicator (§11.13): total = women + men + non-binary.
TOTAL: str = "total"
WOMEN: str = "women"
MEN: str = "men"
NON_BINARY: str = "non_binary"
BREAKDOWN: tuple[str, ...] = (TOTAL, WOMEN, MEN, NON_BINARY)

# Groups of indicators, in the order the report shows them.
OUTPUT: str = "output"
IMMEDIATE: str = "immediate"
LONGER_TERM: str = "longer_term"


@dataclass(frozen=True)
class ReportRequest:
    """What a report covers: the project (its ESF variant and reporting settings), the
    period (both days included) and the scope."""

    project: Project
    start: datetime.date
    end: datetime.date
    scope: ReportScope


@dataclass(frozen=True)
class Breakdown:
    total: int
    women: int
    men: int
    non_binary: int

    def get(self, key: str) -> int:
        return int(getattr(self, key))


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator of the report: its code (e.g. "EECO02"), label and counts."""

    code: str
    label: str
    group: str  # OUTPUT, IMMEDIATE or LONGER_TERM
    values: Breakdown
    # For items a person may refuse or leave unanswered (§11.10): how many did, shown for
    # the data quality, never as indicator values. None where it does not apply.
    refused: int | None = None
    unknown: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """A consistency check of §11.14 with its result."""

    label: str
    holds: bool
    detail: str = ""


@dataclass(frozen=True)
class FollowUpRate:
    """The six-month follow-up (§11.8): leavers due in the period and those who answered."""

    due: int
    answered: int

    @property
    def rate(self) -> float | None:
        return self.answered / self.due if self.due else None


@dataclass(frozen=True)
class QualityFlag:
    """A count staff should look at (e.g. same-day conflicts, refusals without a date)."""

    key: str
    label: str
    count: int


@dataclass
class IndicatorReport:
    request: ReportRequest
    variant: str  # the project's EsfVariant value
    # The settings used, as (label, chosen value's label), shown on the report (§11).
    settings_used: list[tuple[str, str]]
    indicators: list[IndicatorValue]
    incomplete_count: int  # participations in no indicator (§11.2)
    checks: list[CheckResult]
    follow_up: FollowUpRate
    flags: list[QualityFlag] = field(default_factory=list)
    # Participations of the period whose registrations at several partners were joined
    # into one (§11.1, decision 0064).
    joined_across_partners: int = 0

    def by_code(self) -> dict[str, IndicatorValue]:
        return {indicator.code: indicator for indicator in self.indicators}


# The engine (participations.py, outputs.py, result_counts.py, esf2014.py, sensitive.py,
# checks.py, engine.py) builds on the types above, so it is imported after them.
from bruecke.reporting.indicators.engine import (  # noqa: E402
    compute_report,
    incomplete_participants,
    participants_behind,
)

__all__ = [
    "BREAKDOWN",
    "Breakdown",
    "CheckResult",
    "FollowUpRate",
    "IndicatorReport",
    "IndicatorValue",
    "QualityFlag",
    "ReportRequest",
    "compute_report",
    "incomplete_participants",
    "participants_behind",
]
