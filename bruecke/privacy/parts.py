"""What the data-subject access report reads: one Part per kind of record.

Every model that refers to a participant, directly or through a case, is either a Part or
listed in EXCLUDED with the reason; a test walks the models' foreign keys and fails when a
new model is neither. Fields are read from the model metadata (`records.Reader`), so new
fields appear without a change here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import F
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from bruecke.cases.models import (
    Assessment,
    AssessmentItem,
    Case,
    CaseDocument,
    CaseEvent,
    CaseTransfer,
    Contact,
    Goal,
    Plan,
    PlanVersion,
    Profile,
    Qualification,
    Step,
    Task,
    WishedOccupation,
    WorkExperience,
)
from bruecke.cases.topics import DEFAULT_TOPICS
from bruecke.esf.exit_models import ExitRecord, ExitSituation, FollowUp
from bruecke.esf.models import EntryRecord
from bruecke.offers.models import (
    Attendance,
    Enrolment,
    LanguageAssessment,
    RecognitionProcedure,
    Referral,
    ReferralStep,
    SchoolRecord,
    TransitionRecord,
)
from bruecke.participants.models import LANGUAGE_CHOICES, Consent, NameVariant, Participant, ResidenceStatus
from bruecke.placement.models import Application, CheckIn, PermitRequest, Placement
from bruecke.placement.models import Step as PipelineStep
from bruecke.privacy.records import JSON, Formatter, Reader, plain

# Internal bookkeeping, never personal data: row ids, the controller (shown once, in the
# header), the optimistic-locking counter and the row timestamps.
ALWAYS_SKIPPED = ("id", "organisation", "version", "created_at", "updated_at")

# Models that refer to a participant but are not parts of the report, with the reason.
EXCLUDED: dict[str, Promise] = {
    "participants.namekey": gettext_lazy(
        "search keys derived from the names and spellings, which the report shows"
    ),
    "placement.matchprofile": gettext_lazy(
        "figures for matching derived from the personal details and the profile, which the report shows"
    ),
    "dedupe.blockingkey": gettext_lazy(
        "keys for finding duplicate registrations, derived from the names"
        " and the birth date, which the report shows"
    ),
    "dedupe.crosspartnerencoding": gettext_lazy(
        "an encoding of the names and the birth date for the comparison across partners,"
        " from which they cannot be read back"
    ),
    "dedupe.crosspartnerblock": gettext_lazy("lookup keys of that encoding, equally unreadable"),
}

# Models shown in a section of their own (not a Part: a row names two registrations, or
# the other side must not be shown), with the module that reads them for the report.
OWN_SECTIONS: dict[str, str] = {
    "dedupe.merge": "bruecke.dedupe.access_report",
    "dedupe.duplicatepair": "bruecke.dedupe.access_report",
    "dedupe.crosspartnermatch": "bruecke.dedupe.access_report",
}

Withhold = Callable[[models.Model, bool], set[str]]


def _language_names(value: Any) -> tuple[str, JSON]:
    names = dict(LANGUAGE_CHOICES)
    codes = [str(code) for code in value or []]
    return plain([str(names.get(code, code)) for code in codes])[0], codes


def _topic_keys(value: Any) -> tuple[str, JSON]:
    # The encrypted special-category topics of a contact, by their default label (no query
    # per record: the report's query count must not grow with the contacts).
    labels = {
        key: (label_en if translation.get_language() == "en" else label_de)
        for key, label_de, label_en in DEFAULT_TOPICS
    }
    keys = [key for key in str(value or "").split(",") if key]
    return plain([labels.get(key, key) for key in keys])[0], keys


def _plan_snapshot(value: Any) -> tuple[str, JSON]:
    goals = (value or {}).get("goals", [])
    lines = []
    for goal in goals:
        steps = "; ".join(str(step.get("description", "")) for step in goal.get("steps", []))
        lines.append(f"{goal.get('title', '')}: {steps}" if steps else str(goal.get("title", "")))
    return (" · ".join(lines) or "–"), value


def _confidential_note(obj: models.Model, own_staff: bool) -> set[str]:
    return {"note"} if getattr(obj, "confidential", False) and not own_staff else set()


def _sensitive_note(obj: models.Model, own_staff: bool) -> set[str]:
    return {"note"} if getattr(obj, "sensitive", False) and not own_staff else set()


@dataclass(frozen=True)
class Part:
    """One kind of record in the report."""

    key: str  # the key in the machine-readable copy
    model: type[models.Model]
    title: Promise
    to_participant: str  # lookup from the model to its participant
    to_case: str = ""  # lookup to the case id; empty for records of the participant
    single: bool = False  # at most one per participant (or per case)
    skip: tuple[str, ...] = ()
    parent: tuple[str, Promise] | None = None  # (lookup, label) shown with each record
    order: tuple[str, ...] = ("pk",)
    formatters: dict[str, Formatter] = field(default_factory=dict)
    withhold: Withhold | None = None
    annotate: dict[str, str] = field(default_factory=dict)  # extra lookups withhold reads

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def reader(self) -> Reader:
        up = self.to_participant.split("__")[0]
        skip = {*ALWAYS_SKIPPED, up, *self.skip}
        if self.to_case:
            skip.add(self.to_case.split("__")[0])
        return Reader(self.model, skip=skip, formatters=self.formatters)

    def scope(self, participant: Participant) -> models.QuerySet[Any]:
        """The participant's records of this kind."""
        return self.model._default_manager.filter(**{self.to_participant: participant.pk})

    def queryset(self, participant: Participant) -> models.QuerySet[Any]:
        queryset = self.scope(participant)
        extra = {name: F(path) for name, path in self.annotate.items()}
        if self.to_case:
            extra["case_ref"] = F(self.to_case)
        if self.parent:
            extra["parent_ref"] = F(self.parent[0])
        return queryset.annotate(**extra).order_by(*self.order)


PARTICIPANT_PARTS = [
    Part(
        "participant",
        Participant,
        gettext_lazy("Personal details"),
        "pk",
        single=True,
        formatters={"other_languages": _language_names},
    ),
    Part("name_variants", NameVariant, gettext_lazy("Other spellings of the name"), "participant"),
    Part(
        "residence_statuses",
        ResidenceStatus,
        gettext_lazy("Residence documents"),
        "participant",
        order=("issued_on", "pk"),
    ),
    Part("consents", Consent, gettext_lazy("Consents"), "participant", order=("given_on", "pk")),
    Part("esf_entry", EntryRecord, gettext_lazy("ESF data at entry"), "participant", single=True),
]

CASE_PARTS = [
    Part("case", Case, gettext_lazy("Case"), "participant", to_case="pk", single=True),
    Part(
        "contacts",
        Contact,
        gettext_lazy("Counselling contacts"),
        "case__participant",
        to_case="case_id",
        order=("date", "pk"),
        withhold=_confidential_note,
        formatters={"sensitive_topics": _topic_keys},
    ),
    Part(
        "assessments",
        Assessment,
        gettext_lazy("Barrier assessments"),
        "case__participant",
        to_case="case_id",
        order=("assessed_on", "pk"),
    ),
    Part(
        "assessment_items",
        AssessmentItem,
        gettext_lazy("Barriers assessed"),
        "assessment__case__participant",
        to_case="assessment__case_id",
        parent=("assessment__assessed_on", gettext_lazy("assessed on")),
        order=("assessment__assessed_on", "barrier__position", "pk"),
        withhold=_sensitive_note,
        annotate={"sensitive": "barrier__sensitive"},
    ),
    Part("profile", Profile, gettext_lazy("Profile"), "case__participant", to_case="case_id", single=True),
    Part(
        "work_experience",
        WorkExperience,
        gettext_lazy("Work experience"),
        "profile__case__participant",
        to_case="profile__case_id",
    ),
    Part(
        "qualifications",
        Qualification,
        gettext_lazy("Qualifications"),
        "profile__case__participant",
        to_case="profile__case_id",
    ),
    Part(
        "wished_occupations",
        WishedOccupation,
        gettext_lazy("Wished occupations"),
        "profile__case__participant",
        to_case="profile__case_id",
    ),
    Part("plan", Plan, gettext_lazy("Integration plan"), "case__participant", to_case="case_id", single=True),
    Part(
        "plan_goals",
        Goal,
        gettext_lazy("Goals of the plan"),
        "plan__case__participant",
        to_case="plan__case_id",
        order=("position", "pk"),
    ),
    Part(
        "plan_steps",
        Step,
        gettext_lazy("Steps of the plan"),
        "goal__plan__case__participant",
        to_case="goal__plan__case_id",
        parent=("goal__title", gettext_lazy("goal")),
        order=("goal__position", "position", "pk"),
    ),
    Part(
        "plan_versions",
        PlanVersion,
        gettext_lazy("Agreed versions of the plan"),
        "plan__case__participant",
        to_case="plan__case_id",
        order=("number",),
        formatters={"snapshot": _plan_snapshot},
    ),
    Part(
        "tasks",
        Task,
        gettext_lazy("Tasks"),
        "case__participant",
        to_case="case_id",
        skip=("source_type", "source_id"),
        order=("due_on", "pk"),
    ),
    Part(
        "documents",
        CaseDocument,
        gettext_lazy("Documents"),
        "case__participant",
        to_case="case_id",
        order=("issued_on", "pk"),
    ),
    Part(
        "transfers",
        CaseTransfer,
        gettext_lazy("Transfers to another team or partner"),
        "case__participant",
        to_case="case_id",
        order=("requested_at", "pk"),
    ),
    Part(
        "exit",
        ExitRecord,
        gettext_lazy("Exit and ESF data at exit"),
        "participant",
        to_case="case_id",
        single=True,
    ),
    Part(
        "exit_situations",
        ExitSituation,
        gettext_lazy("Situation after leaving"),
        "exit_record__participant",
        to_case="exit_record__case_id",
        order=("date", "pk"),
    ),
    Part(
        "follow_ups",
        FollowUp,
        gettext_lazy("Follow-up six months after leaving"),
        "exit_record__participant",
        to_case="exit_record__case_id",
        order=("answered_on", "pk"),
    ),
    Part(
        "applications",
        Application,
        gettext_lazy("Applications (placement pipeline)"),
        "case__participant",
        to_case="case_id",
        order=("stage_on", "pk"),
    ),
    Part(
        "pipeline_steps",
        PipelineStep,
        gettext_lazy("Steps of the applications"),
        "application__case__participant",
        to_case="application__case_id",
        parent=("application__opportunity__title", gettext_lazy("opportunity")),
        order=("date", "pk"),
    ),
    Part(
        "work_permit_applications",
        PermitRequest,
        gettext_lazy("Work-permission applications"),
        "application__case__participant",
        to_case="application__case_id",
        parent=("application__opportunity__title", gettext_lazy("opportunity")),
        order=("applied_on", "pk"),
    ),
    Part(
        "placements",
        Placement,
        gettext_lazy("Placements"),
        "participant",
        to_case="case_id",
        order=("start_date", "pk"),
    ),
    Part(
        "check_ins",
        CheckIn,
        gettext_lazy("Follow-up after the start of a placement"),
        "placement__participant",
        to_case="placement__case_id",
        parent=("placement__start_date", gettext_lazy("placement started on")),
        order=("due_on", "pk"),
    ),
    Part(
        "german_levels",
        LanguageAssessment,
        gettext_lazy("German level assessments"),
        "participant",
        to_case="case_id",
        order=("assessed_on", "pk"),
    ),
    Part(
        "recognition_procedures",
        RecognitionProcedure,
        gettext_lazy("Recognition procedures"),
        "participant",
        to_case="case_id",
        order=("applied_on", "pk"),
    ),
    Part(
        "group_enrolments",
        Enrolment,
        gettext_lazy("Enrolments in group offers"),
        "participant",
        to_case="case_id",
        parent=("offer__title", gettext_lazy("group offer")),
        order=("enrolled_on", "pk"),
    ),
    Part(
        "group_attendance",
        Attendance,
        gettext_lazy("Attendance at group sessions"),
        "enrolment__participant",
        to_case="enrolment__case_id",
        parent=("enrolment__offer__title", gettext_lazy("group offer")),
        order=("session__date", "pk"),
    ),
    Part(
        "referrals",
        Referral,
        gettext_lazy("Referrals to measures"),
        "participant",
        to_case="case_id",
        order=("status_on", "pk"),
    ),
    Part(
        "referral_steps",
        ReferralStep,
        gettext_lazy("Steps of the referrals"),
        "referral__participant",
        to_case="referral__case_id",
        parent=("referral__measure__title", gettext_lazy("measure")),
        order=("occurred_on", "pk"),
    ),
    Part(
        "timeline",
        CaseEvent,
        gettext_lazy("Case timeline"),
        "case__participant",
        to_case="case_id",
        skip=("object_type", "object_id", "details"),
        order=("occurred_on", "pk"),
    ),
    Part(
        "school",
        SchoolRecord,
        gettext_lazy("School"),
        "participant",
        to_case="case_id",
        single=True,
    ),
    Part(
        "school_to_work",
        TransitionRecord,
        gettext_lazy("From school to work"),
        "participant",
        to_case="case_id",
        single=True,
    ),
]

PARTS = PARTICIPANT_PARTS + CASE_PARTS
