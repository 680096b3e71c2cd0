"""The cases app's models, one module per part of case work."""

from bruecke.cases.models.anonymous import AgeGroup, AnonymousContact
from bruecke.cases.models.barriers import Assessment, AssessmentItem, BarrierType, Severity
from bruecke.cases.models.case import Case, CaseStatus, CatalogueEntry
from bruecke.cases.models.contacts import Channel, Contact, ContactTopic, InterpreterKind
from bruecke.cases.models.deletion import DeletionReason
from bruecke.cases.models.documents import CaseDocument, DocumentType
from bruecke.cases.models.plan import Goal, GoalStatus, Plan, PlanVersion, Responsible, Step, StepStatus
from bruecke.cases.models.profile import (
    ChildcareLimits,
    DigitalSkills,
    DrivingLicence,
    Profile,
    Qualification,
    QualificationKind,
    RecognitionStatus,
    WishedOccupation,
    WorkExperience,
)
from bruecke.cases.models.tasks import Task, TaskSource
from bruecke.cases.models.timeline import CaseEvent, EventKind
from bruecke.cases.models.transfer import CaseTransfer, TransferStatus

__all__ = [
    "AgeGroup",
    "AnonymousContact",
    "Assessment",
    "AssessmentItem",
    "BarrierType",
    "Case",
    "CaseDocument",
    "CaseEvent",
    "CaseStatus",
    "CaseTransfer",
    "CatalogueEntry",
    "Channel",
    "ChildcareLimits",
    "Contact",
    "ContactTopic",
    "DeletionReason",
    "DigitalSkills",
    "DocumentType",
    "DrivingLicence",
    "EventKind",
    "Goal",
    "GoalStatus",
    "InterpreterKind",
    "Plan",
    "PlanVersion",
    "Profile",
    "Qualification",
    "QualificationKind",
    "RecognitionStatus",
    "Responsible",
    "Severity",
    "Step",
    "StepStatus",
    "Task",
    "TaskSource",
    "TransferStatus",
    "WishedOccupation",
    "WorkExperience",
]
