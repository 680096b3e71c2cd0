"""The cases app's models, one module per part of case work."""

from bruecke.cases.models.barriers import Assessment, AssessmentItem, BarrierType, Severity
from bruecke.cases.models.case import Case, CaseStatus, CatalogueEntry
from bruecke.cases.models.contacts import Channel, Contact, ContactTopic, InterpreterKind
from bruecke.cases.models.plan import Goal, GoalStatus, Plan, PlanVersion, Responsible, Step, StepStatus
from bruecke.cases.models.tasks import Task, TaskSource
from bruecke.cases.models.timeline import CaseEvent, EventKind

__all__ = [
    "Assessment",
    "AssessmentItem",
    "BarrierType",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "CatalogueEntry",
    "Channel",
    "Contact",
    "ContactTopic",
    "EventKind",
    "Goal",
    "GoalStatus",
    "InterpreterKind",
    "Plan",
    "PlanVersion",
    "Responsible",
    "Severity",
    "Step",
    "StepStatus",
    "Task",
    "TaskSource",
]
