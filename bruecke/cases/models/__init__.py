"""The cases app's models, one module per part of case work."""

from bruecke.cases.models.barriers import Assessment, AssessmentItem, BarrierType, Severity
from bruecke.cases.models.case import Case, CaseStatus, CatalogueEntry
from bruecke.cases.models.contacts import Channel, Contact, ContactTopic, InterpreterKind
from bruecke.cases.models.deletion import DeletionReason
from bruecke.cases.models.tasks import Task, TaskSource
from bruecke.cases.models.timeline import CaseEvent, EventKind
from bruecke.cases.models.transfer import CaseTransfer, TransferStatus

__all__ = [
    "Assessment",
    "AssessmentItem",
    "BarrierType",
    "Case",
    "CaseEvent",
    "CaseStatus",
    "CaseTransfer",
    "CatalogueEntry",
    "Channel",
    "Contact",
    "ContactTopic",
    "DeletionReason",
    "EventKind",
    "InterpreterKind",
    "Severity",
    "Task",
    "TaskSource",
    "TransferStatus",
]
