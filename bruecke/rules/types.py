"""The vocabulary of the work-permission engine: facts in, answer out (plain dataclasses).

Status codes are the participant app's `ResidenceStatusType` values, so facts can be
derived from a participant's residence history without translation tables.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum


class Activity(StrEnum):
    EMPLOYMENT = "employment"  # employment that needs BA approval
    DUAL_TRAINING = "dual_training"
    SCHOOL_TRAINING = "school_training"
    INTERNSHIP_MANDATORY = "internship_mandatory"
    INTERNSHIP_ORIENTATION = "internship_orientation"  # ≤ 3 months
    INTERNSHIP_ACCOMPANYING = "internship_accompanying"  # ≤ 3 months
    INTERNSHIP_PREPARATION = "internship_preparation"  # Einstiegsqualifizierung / BvB
    INTERNSHIP_OTHER = "internship_other"
    VOLUNTEER_SERVICE = "volunteer_service"  # BFD / FSJ / FÖJ
    SELF_EMPLOYMENT = "self_employment"
    JOB_SHADOWING = "job_shadowing"  # Hospitation
    VOLUNTEERING = "volunteering"  # unpaid Ehrenamt


class Outcome(StrEnum):
    ALLOWED = "allowed"  # allowed by law, no permission needed
    NEEDS_PERMISSION = "needs_permission"
    NOT_YET = "not_yet"  # a waiting period has not ended
    BANNED = "banned"


class DecisionType(StrEnum):
    BY_LAW = "by_law"
    ENTITLEMENT = "entitlement"  # Anspruch: "ist zu erlauben"
    REGULAR = "regular"  # Soll: granted unless the case is atypical
    DISCRETION = "discretion"  # Kann
    BAN = "ban"


class Authority(StrEnum):
    NONE = "none"
    ABH = "abh"  # local Ausländerbehörde
    CENTRAL_ABH = "central_abh"  # Zentrale Ausländerbehörde (reception centre)


class PriorityCheck(StrEnum):
    """The BA's priority check (Vorrangprüfung) on a job it has to approve."""

    NOT_APPLICABLE = "not_applicable"  # no BA approval, or the status has no such rule
    REQUIRED = "required"
    NONE = "none"  # the BA approves without a priority check
    OPEN = "open"  # depends on a fact not entered (the workplace district)


class AsylumOutcome(StrEnum):
    NONE = "none"  # never applied
    PENDING = "pending"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"
    GRANTED = "granted"


@dataclass(frozen=True)
class StatusPeriod:
    """One document of the residence history: `status` from `start` until `end` (inclusive)."""

    status: str
    start: datetime.date
    end: datetime.date | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Facts:
    """What the engine needs to know. Every field is shown to the counsellor and correctable.

    Judgement answers (`judgements`) map a flag code to the counsellor's answer; an
    unanswered flag stays an open question and never changes the outcome silently.
    """

    status: str
    status_since: datetime.date
    nationality: str = ""  # ISO 3166-1 alpha-2
    stay_since: datetime.date | None = None  # uninterrupted permitted/tolerated/gestattet stay
    asylum_applied_on: datetime.date | None = None
    asylum_registered_on: datetime.date | None = None  # registration (Art. 27 Reg. 2024/1348)
    asylum_outcome: AsylumOutcome = AsylumOutcome.NONE
    # Yes / no facts: None = not known. The answer reads an unknown fact as "no" and shows
    # the other answer as an alternative where the fact would change it (TRI_STATE_FACTS).
    reception_centre: bool | None = None  # obliged to live in a reception centre (EAE)
    dublin_or_other_state_protection: bool | None = None
    accelerated_procedure: bool | None = None  # Art. 42(1)(a)-(f) Reg. 2024/1348 applied
    rejected_manifestly_unfounded: bool | None = None  # o.u. / inadmissible, no suspensive effect
    permitted_during_procedure: bool | None = None
    identity_by_passport: bool | None = None
    protected_in_other_state: bool | None = None
    withdrawn_after_legal_information: bool | None = None  # § 12b AsylG
    unaccompanied_minor: bool | None = None
    work_permission_on: tuple[datetime.date, ...] = ()  # days on which a permission was held
    workplace_district: str = ""  # employment-agency district (districts.toml code or "other")
    # Vocational training begun with permission while the asylum application was pending
    # (§ 60c Abs. 1 S. 1 Nr. 1 AufenthG): None = not known.
    training_started_during_procedure: bool | None = None
    training_started_on: datetime.date | None = None
    with_minor_children: bool | None = None  # lives with minor children (§ 47 Abs. 1 AsylG)
    history: tuple[StatusPeriod, ...] = ()
    judgements: dict[str, bool] = field(default_factory=dict)

    def held(self, statuses: frozenset[str], day: datetime.date) -> bool:
        """Whether the history shows one of `statuses` on `day` (the current one counts)."""
        if self.status in statuses and self.status_since <= day:
            return True
        return any(p.status in statuses and p.covers(day) for p in self.history)


# The yes / no facts with three states (yes / no / unknown) the answer can depend on.
TRI_STATE_FACTS = (
    "reception_centre",
    "dublin_or_other_state_protection",
    "accelerated_procedure",
    "rejected_manifestly_unfounded",
    "permitted_during_procedure",
    "identity_by_passport",
    "protected_in_other_state",
    "withdrawn_after_legal_information",
    "unaccompanied_minor",
    "training_started_during_procedure",
    "with_minor_children",
)


@dataclass(frozen=True)
class Citation:
    norm: str  # e.g. "§ 61 Abs. 1 AsylG"
    valid_from: datetime.date  # the version's valid-from date
    at_least: bool = False  # True: in force at least since then (older versions not recorded)


@dataclass(frozen=True)
class Ground:
    """One conclusion of the answer with the norm it rests on."""

    topic: str  # outcome | decision | authority | ba | note
    code: str  # rendered by bruecke.rules.texts.ground_text
    citations: tuple[Citation, ...]
    detail: str = ""  # a small value shown with the text (a list name, a date)


@dataclass(frozen=True)
class WaitingPeriod:
    code: str
    start: datetime.date
    months: int
    ends_on: datetime.date  # last day of the period; the activity may start the day after
    citation: Citation

    @property
    def over_on(self) -> datetime.date:
        return self.ends_on + datetime.timedelta(days=1)


@dataclass(frozen=True)
class Flag:
    """A question the law leaves to facts the tool cannot know."""

    code: str
    citation: Citation
    answer: bool | None = None


@dataclass(frozen=True)
class Alternative:
    """A fact that is unknown and changes the answer: the answer for each of its values.

    `fact` is a field name of `Facts` (rendered by texts.FACT_QUESTIONS); the answer page
    shows both answers side by side instead of deciding the fact silently."""

    fact: str
    if_yes: Answer
    if_no: Answer


@dataclass(frozen=True)
class Answer:
    activity: Activity
    on: datetime.date
    outcome: Outcome
    decision: DecisionType
    authority: Authority
    ba_approval: bool
    earliest: datetime.date | None
    waiting_periods: tuple[WaitingPeriod, ...]
    flags: tuple[Flag, ...]
    grounds: tuple[Ground, ...]
    data_as_of: datetime.date
    priority_check: PriorityCheck = PriorityCheck.NOT_APPLICABLE
    # Unknown facts that change the answer (empty: the answer does not depend on them).
    alternatives: tuple[Alternative, ...] = ()

    @property
    def citations(self) -> tuple[Citation, ...]:
        seen: dict[Citation, None] = {}
        for ground in self.grounds:
            seen.update(dict.fromkeys(ground.citations))
        seen.update(dict.fromkeys(w.citation for w in self.waiting_periods))
        seen.update(dict.fromkeys(f.citation for f in self.flags))
        return tuple(seen)

    @property
    def open_questions(self) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.answer is None)


class NotCovered(Exception):
    """The rule data do not answer this question (date outside coverage, status unknown)."""
