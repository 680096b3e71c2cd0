"""The printed integration plan for the participant: HTML and PDF, in their language.

The labels come from the translation catalogues (German, English, Arabic, Farsi/Dari,
Ukrainian, like the consent information sheet); the goals and steps stay as entered.
The PDF is made from the same template by `core.pdf`, which loads nothing.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import translation

from bruecke.cases.models import Case, GoalStatus, PlanVersion, Responsible, StepStatus
from bruecke.participants.info_sheet import RTL_LANGUAGES
from bruecke.participants.models import InfoSheetLanguage

PRINT_LANGUAGES: list[tuple[str, str]] = list(InfoSheetLanguage.choices)
PRINT_CODES = frozenset(code for code, _label in PRINT_LANGUAGES)
STYLESHEETS = ("css/print.css", "css/plan-print.css")
# First-strong isolate / pop: text as entered keeps its own direction inside a right-to-left
# document (browsers would honour dir="auto", WeasyPrint only honours the characters).
FSI, PDI = "\u2068", "\u2069"


@dataclass(frozen=True)
class PrintedStep:
    description: str
    responsible: str
    due_on: datetime.date | None
    status: str
    is_open: bool


@dataclass(frozen=True)
class PrintedGoal:
    title: str
    target_on: datetime.date | None
    status: str
    steps: list[PrintedStep]


def default_language(case: Case) -> str:
    """The participant's first language if the plan is printed in it, else German."""
    first = case.participant.first_language
    return first if first in PRINT_CODES else "de"


def _date(value: object) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if isinstance(value, str) and value else None


def _responsible(step: dict[str, Any]) -> str:
    if step.get("responsible") == Responsible.OTHER and step.get("responsible_name"):
        return str(step["responsible_name"])
    return str(Responsible(step.get("responsible", Responsible.PARTICIPANT)).label)


def snapshot_goals(version: PlanVersion) -> list[PrintedGoal]:
    """The version's goals and steps with their labels in the active language."""
    return [
        PrintedGoal(
            title=str(goal.get("title", "")),
            target_on=_date(goal.get("target_on")),
            status=str(GoalStatus(goal.get("status", GoalStatus.OPEN)).label),
            steps=[
                PrintedStep(
                    description=str(step.get("description", "")),
                    responsible=_responsible(step),
                    due_on=_date(step.get("due_on")),
                    status=str(StepStatus(step.get("status", StepStatus.OPEN)).label),
                    is_open=step.get("status") == StepStatus.OPEN,
                )
                for step in goal.get("steps", [])
            ],
        )
        for goal in version.snapshot.get("goals", [])
    ]


def isolate(text: str) -> str:
    return f"{FSI}{text}{PDI}" if text else text


def _isolated(goal: PrintedGoal) -> PrintedGoal:
    steps = [
        dataclasses.replace(s, description=isolate(s.description), responsible=isolate(s.responsible))
        for s in goal.steps
    ]
    return dataclasses.replace(goal, title=isolate(goal.title), steps=steps)


def document_context(case: Case, version: PlanVersion, language: str) -> dict[str, Any]:
    with translation.override(language):
        goals = [_isolated(goal) for goal in snapshot_goals(version)]
    counsellor = case.case_manager.get_full_name() or case.case_manager.get_username()
    return {
        "case": case,
        "version": version,
        "goals": goals,
        "language": language,
        "direction": "rtl" if language in RTL_LANGUAGES else "ltr",
        "participant_name": isolate(case.participant.full_name),
        "counsellor": isolate(f"{counsellor} · {case.organisation.name}"),
        "languages": PRINT_LANGUAGES,
    }


def pdf_filename(case: Case, version: PlanVersion) -> str:
    # Never the participant's name: file names end up in download folders and mail.
    return f"integrationsplan-{case.pk}-v{version.number}.pdf"
