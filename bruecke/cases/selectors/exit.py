"""Reads of a case's exit: the questionnaire, its derived results and the follow-ups.

The case always comes from `cases.selectors.cases.case_get` (the access scope); the exit
records are read through it, never by their own id alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from bruecke.cases.models import Case, Step, StepStatus, Task, TaskSource
from bruecke.core import access
from bruecke.core.audit import object_type_of
from bruecke.esf import results
from bruecke.esf.exit_models import (
    IMMEDIATE_CODES,
    INDICATOR_LABELS,
    LONGER_TERM_CODES,
    ExitRecord,
    ExitSituation,
    FollowUp,
)
from bruecke.esf.models import EntryRecord, LabourMarketStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def open_tasks(case: Case) -> QuerySet[Task]:
    """The case's open tasks that are decided one by one at exit (a plan step's task
    follows its step, which is decided instead)."""
    return (
        Task.objects.filter(case=case, done_on__isnull=True)
        .exclude(source=TaskSource.PLAN_STEP)
        .select_related("assignee")
        .order_by("due_on", "id")
    )


def open_steps(case: Case) -> QuerySet[Step]:
    return Step.objects.filter(goal__plan__case=case, status=StepStatus.OPEN).order_by("due_on", "id")


def exit_of(case: Case) -> ExitRecord:
    """The exit record of a case (404 when the case has none)."""
    return access.get_or_404(ExitRecord.objects.select_related("case", "participant"), case=case)


def follow_up_of(record: ExitRecord, pk: object) -> FollowUp:
    return access.get_or_404(FollowUp.objects.select_related("exit_record__case"), exit_record=record, pk=pk)


@dataclass(frozen=True)
class FollowUpRow:
    follow_up: FollowUp
    counts: bool
    deciding: bool


@dataclass(frozen=True)
class ExitSummary:
    """What the case page shows about the exit; every value derived, nothing stored."""

    record: ExitRecord
    situations: list[ExitSituation]
    immediate: results.ImmediateResults
    follow_ups: list[FollowUpRow]
    longer_term: frozenset[str] | None
    task: Task | None

    def immediate_rows(self) -> list[tuple[str, StrOrPromise, bool]]:
        return [(code, INDICATOR_LABELS[code], code in self.immediate.codes) for code in IMMEDIATE_CODES]

    def longer_term_rows(self) -> list[tuple[str, StrOrPromise, bool]]:
        """Empty while nobody answered within the window (the person is not in the base)."""
        if self.longer_term is None:
            return []
        return [(code, INDICATOR_LABELS[code], code in self.longer_term) for code in LONGER_TERM_CODES]


def exit_summary(case: Case) -> ExitSummary | None:
    """Five queries at most, whatever the number of situations and follow-ups."""
    record = ExitRecord.objects.filter(case=case).select_related("participant").first()
    if record is None:
        return None
    situations = list(record.situations.all())
    follow_ups = list(record.follow_ups.select_related("recorded_by"))
    for follow_up in follow_ups:
        follow_up.exit_record = record  # saves a query per row in `counts`
    immediate = results.immediate_results(
        entry_date=record.participant.entry_date,
        exit_date=record.exit_date,
        situations=[s.as_result_input() for s in situations],
        qualification_on=record.qualification_on if record.qualification_gained else None,
    )
    answers = [f.as_result_input() for f in follow_ups]
    deciding = results.deciding_follow_up(record.exit_date, answers)
    lm_status = EntryRecord.objects.filter(participant_id=record.participant_id).values_list(
        "lm_status_entry", flat=True
    )
    employed_at_entry = lm_status.first() == LabourMarketStatus.EMPLOYED
    task = Task.objects.filter(source_type=object_type_of(record), source_id=str(record.pk)).first()
    return ExitSummary(
        record=record,
        situations=situations,
        immediate=immediate,
        follow_ups=[
            FollowUpRow(f, f.counts, deciding is not None and deciding.order == f.pk) for f in follow_ups
        ],
        longer_term=results.longer_term_results(
            exit_date=record.exit_date, employed_at_entry=employed_at_entry, answers=answers
        ),
        task=task,
    )
