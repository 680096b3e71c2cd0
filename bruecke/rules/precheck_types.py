"""The shapes of a pre-check: person facts, item states, items and the overall result."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from enum import StrEnum

from bruecke.rules.types import Citation


class State(StrEnum):
    MET = "met"
    MISSING = "missing"
    UNKNOWN = "unknown"
    JUDGEMENT = "judgement"
    # The item belongs to another route of the same norm (e.g. the Duldung time of
    # § 60c Abs. 1 S. 1 Nr. 2 when the training began during the asylum procedure).
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class PersonFacts:
    """Facts about the person beyond the residence status (all optional).

    Three-state facts (None = not known) are what the counsellor knows or can ask; an
    unknown one leaves its item open, it never counts as "no"."""

    arrival_date: datetime.date | None = None
    birth_date: datetime.date | None = None
    german_level: str = ""
    employed_since: datetime.date | None = None  # current SV employment, uninterrupted
    weekly_hours: int | None = None
    single_parent: bool = False
    minor_child: bool = False
    identity_clarified: bool | None = None
    identity_clarified_on: datetime.date | None = None
    livelihood_secured: bool | None = None
    mainly_self_supporting: bool | None = None
    no_convictions: bool | None = None
    children_in_school: bool | None = None
    qualified_training: bool | None = None
    school_3_years: bool | None = None
    integration_prognosis: bool | None = None
    no_imminent_measures: bool | None = None
    constitution_commitment: bool | None = None
    no_identity_deception: bool | None = None


class Result(StrEnum):
    """The overall result of a pre-check."""

    ELIGIBLE = "eligible"  # every item met (or not applicable)
    # Only waiting is missing, nothing is open: eligible from `Precheck.eligible_from`.
    ELIGIBLE_FROM = "eligible_from"
    NOT_ELIGIBLE = "not_eligible"  # at least one item missing (and not to be met by waiting)
    OPEN = "open"  # no item missing for good, some unknown or judgement (see `open_items`)


@dataclass(frozen=True)
class Item:
    code: str
    state: State
    citation: Citation
    detail: str = ""
    # Duration requirements: the first day on which the requirement is met (also when
    # that day is still ahead: the item is then MISSING until that day).
    met_on: datetime.date | None = None

    @property
    def waiting(self) -> bool:
        """Missing now, met by waiting until `met_on`."""
        return self.state == State.MISSING and self.met_on is not None


@dataclass(frozen=True)
class Precheck:
    key: str
    on: datetime.date
    items: tuple[Item, ...]
    citation: Citation
    result: Result = Result.OPEN
    decision: str = ""  # a DecisionType value: entitlement, regular (Soll), discretion
    consequence: str = ""  # code of the legal consequence text (texts.PRECHECK_CONSEQUENCES)
    consequence_detail: str = ""  # a small value for it (e.g. the end date of a term)
    notes: tuple[str, ...] = ()  # codes of notes (end of application, no extension, …)
    # With ELIGIBLE_FROM (and OPEN when waiting is missing too): the day every waiting
    # item is met.
    eligible_from: datetime.date | None = None

    @property
    def open_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.state in (State.UNKNOWN, State.JUDGEMENT))

    @property
    def missing_items(self) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.state == State.MISSING)

    def count(self, state: State) -> int:
        return sum(1 for item in self.items if item.state == state)
