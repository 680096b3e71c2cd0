"""The summary header of the case page and the participant page: who, where they stand,
what needs doing. One selector for both pages, a constant number of queries (three, plus
one for the residence documents when the caller has not loaded them)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from bruecke.cases.models import Case
from bruecke.cases.models.contacts import Contact
from bruecke.cases.selectors import tasks as task_selectors
from bruecke.participants.models import EligibilityVerdict, Participant, ResidenceStatus
from bruecke.participants.selectors import EXPIRY_NOTICE, EXPIRY_URGENT
from bruecke.rules import texts
from bruecke.rules.facts import assess_participant, facts_for
from bruecke.rules.types import Activity, NotCovered, Outcome

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from bruecke.cases.selectors.cases import AnyUser

# KERN badge level of each work-permission outcome.
OUTCOME_LEVELS = {
    Outcome.ALLOWED: "success",
    Outcome.NEEDS_PERMISSION: "warning",
    Outcome.NOT_YET: "warning",
    Outcome.BANNED: "danger",
}


@dataclass(frozen=True)
class WorkAnswer:
    outcome: str
    label: StrOrPromise
    level: str


@dataclass
class Summary:
    participant: Participant
    case: Case | None
    today: datetime.date
    residence_expiry: str = ""  # "", "expired", "urgent", "soon"
    work: WorkAnswer | None = None
    open_tasks: int = 0
    overdue_tasks: int = 0
    confidential: bool = False
    not_eligible: bool = False


def residence_expiry(valid_until: datetime.date | None, today: datetime.date) -> str:
    """How close the residence document is to its end: expired, urgent (2 weeks), soon (6 weeks)."""
    if valid_until is None:
        return ""
    if valid_until < today:
        return "expired"
    if valid_until <= today + EXPIRY_URGENT:
        return "urgent"
    if valid_until <= today + EXPIRY_NOTICE:
        return "soon"
    return ""


def work_answer(
    participant: Participant, today: datetime.date, statuses: list[ResidenceStatus] | None = None
) -> WorkAnswer | None:
    """The work-permission answer for employment today, from the record (None without a document)."""
    facts = facts_for(participant, today, statuses)
    if facts is None:
        return None
    try:
        answer = assess_participant(participant, Activity.EMPLOYMENT, today, facts)
    except NotCovered:
        return None
    if answer is None:  # pragma: no cover - facts are given
        return None
    outcome = str(answer.outcome)
    return WorkAnswer(outcome=outcome, label=texts.OUTCOMES[outcome], level=OUTCOME_LEVELS[Outcome(outcome)])


def summary_header(
    user: AnyUser,
    participant: Participant,
    *,
    case: Case | None = None,
    today: datetime.date,
    statuses: list[ResidenceStatus] | None = None,
) -> Summary:
    """The facts of the summary header. The caller has checked access and audited the read.

    With a case: its open tasks and confidential contacts; without: those of all the
    participant's cases the user sees."""
    tasks = task_selectors.tasks_visible_to(user).filter(done_on__isnull=True)
    contacts = Contact.objects.filter(confidential=True)
    if case is not None:
        tasks = tasks.filter(case=case)
        contacts = contacts.filter(case=case)
    else:
        tasks = tasks.filter(case__participant=participant)
        contacts = contacts.filter(case__participant=participant)
    counts = tasks.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today)))
    return Summary(
        participant=participant,
        case=case,
        today=today,
        residence_expiry=residence_expiry(participant.current_valid_until, today),
        work=work_answer(participant, today, statuses),
        open_tasks=counts["open"] or 0,
        overdue_tasks=counts["overdue"] or 0,
        confidential=contacts.exists(),
        not_eligible=participant.eligibility == EligibilityVerdict.NOT_ELIGIBLE,
    )
