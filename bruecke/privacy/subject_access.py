"""The data-subject access report (Art. 15 GDPR): everything stored about one participant.

Every model that refers to a participant, directly or through a case, is either a part of
the report (PARTS) or listed in EXCLUDED with the reason; a test walks the models' foreign
keys and fails when a new model is neither. Fields are read from the model metadata
(`records.Reader`), so new fields appear without a change here.

The report is built with a fixed number of queries, however many contacts or events a
participant has: one per part, one per many-to-many field, one per kind of related name,
and the access history aggregated in SQL.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import TruncDate
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bruecke.accounts.models import User
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
    TransferStatus,
    WorkExperience,
)
from bruecke.cases.selectors.cases import may_read_confidential
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.esf.exit_models import ExitRecord, ExitSituation, FollowUp
from bruecke.esf.models import EntryRecord
from bruecke.network.models import Membership, Organisation, Role
from bruecke.participants.models import (
    LANGUAGE_CHOICES,
    Consent,
    ConsentPurpose,
    NameVariant,
    Participant,
    ResidenceStatus,
)
from bruecke.privacy.records import JSON, Formatter, Names, Reader, Record, plain
from bruecke.projects.models import Project

# Internal bookkeeping, never personal data: row ids, the controller (shown once, in the
# header), the optimistic-locking counter and the row timestamps.
ALWAYS_SKIPPED = ("id", "organisation", "version", "created_at", "updated_at")

# Models that refer to a participant but are not parts of the report, with the reason.
EXCLUDED: dict[str, Promise] = {
    "participants.namekey": gettext_lazy(
        "search keys derived from the names and spellings, which the report shows"
    ),
}

Withhold = Callable[[models.Model, bool], set[str]]


def _language_names(value: Any) -> tuple[str, JSON]:
    names = dict(LANGUAGE_CHOICES)
    codes = [str(code) for code in value or []]
    return plain([str(names.get(code, code)) for code in codes])[0], codes


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

    def queryset(self, participant: Participant) -> models.QuerySet[Any]:
        queryset = self.model._default_manager.filter(**{self.to_participant: participant.pk})
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
        "timeline",
        CaseEvent,
        gettext_lazy("Case timeline"),
        "case__participant",
        to_case="case_id",
        skip=("object_type", "object_id", "details"),
        order=("occurred_on", "pk"),
    ),
]

PARTS = PARTICIPANT_PARTS + CASE_PARTS


@dataclass(frozen=True)
class Section:
    part: Part
    records: list[Record]

    @property
    def title(self) -> str:
        return str(self.part.title)

    def data(self) -> JSON:
        rows = [_record_data(self.part, record) for record in self.records]
        if self.part.single:
            return rows[0] if rows else None
        return rows


@dataclass(frozen=True)
class CaseSection:
    case_id: int
    heading: str
    sections: list[Section]


@dataclass(frozen=True)
class Recipient:
    organisation: str
    basis: str
    since: datetime.date | None
    until: datetime.date | None = None


@dataclass(frozen=True)
class AccessDay:
    day: datetime.date
    organisation: str
    action: str
    count: int


@dataclass(frozen=True)
class Report:
    participant: Participant
    controller_dpos: list[str]
    sections: list[Section]
    cases: list[CaseSection]
    purposes: list[tuple[str, datetime.date, datetime.date | None]]
    recipients: list[Recipient]
    sources: list[str]
    access: list[AccessDay]
    withheld: int

    def data(self) -> JSON:
        """The machine-readable copy (Art. 15(3), Art. 20 GDPR)."""
        result: dict[str, JSON] = {section.part.key: section.data() for section in self.sections}
        result["cases"] = [{s.part.key: s.data() for s in case.sections} for case in self.cases]
        result["purposes"] = [
            {"purpose": purpose, "given_on": given.isoformat(), "revoked_on": _iso(revoked)}
            for purpose, given, revoked in self.purposes
        ]
        result["recipients"] = [
            {
                "organisation": r.organisation,
                "basis": r.basis,
                "since": _iso(r.since),
                "until": _iso(r.until),
            }
            for r in self.recipients
        ]
        result["access_history"] = [
            {"day": a.day.isoformat(), "organisation": a.organisation, "action": a.action, "count": a.count}
            for a in self.access
        ]
        result["withheld_notes"] = self.withheld
        return result


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _record_data(part: Part, record: Record) -> dict[str, JSON]:
    data: dict[str, JSON] = {}
    if part.parent:
        data[part.parent[0].replace("__", ".")] = record.extra["parent"]
    data.update({value.name: value.data for value in record.values})
    return data


def build_report(*, participant: Participant, user: User) -> Report:
    """Everything stored about `participant`, as seen by `user` (who must be allowed to edit
    the participant: the report is made by the controller, the participant's organisation).

    Notes that only a case's own case manager and placement officer may read are withheld
    for anyone else and counted, so the report says that it is incomplete."""
    names = Names()
    loaded = {part.key: list(part.queryset(participant)) for part in PARTS}
    readers = {part.key: part.reader() for part in PARTS}
    links = {part.key: readers[part.key].prepare(loaded[part.key], names) for part in PARTS}
    names.load()
    cases = {case.pk: case for case in loaded["case"]}
    own_staff = {pk: may_read_confidential(user, case) for pk, case in cases.items()}
    withheld = 0
    records: dict[str, list[Record]] = {}
    for part in PARTS:
        records[part.key] = []
        for obj in loaded[part.key]:
            case_ref = getattr(obj, "case_ref", None)
            hidden = part.withhold(obj, own_staff.get(case_ref, False)) if part.withhold else set()
            hidden = {name for name in hidden if getattr(obj, name, "")}
            withheld += len(hidden)
            record = readers[part.key].record(obj, names, links[part.key], hidden)
            record.extra["case"] = case_ref
            if part.parent:
                record.extra["parent"] = plain(getattr(obj, "parent_ref", None))[1]
                record.extra["parent_text"] = plain(getattr(obj, "parent_ref", None))[0]
            records[part.key].append(record)
    return Report(
        participant=participant,
        controller_dpos=_data_protection_officers(participant),
        sections=[Section(part, records[part.key]) for part in PARTICIPANT_PARTS],
        cases=[_case_section(case, records) for case in loaded["case"]],
        purposes=_purposes(loaded["consents"]),
        recipients=_recipients(loaded, links["consents"], names),
        sources=_sources(loaded["transfers"], names),
        access=_access_history(participant, records),
        withheld=withheld,
    )


def _case_section(case: Case, records: dict[str, list[Record]]) -> CaseSection:
    sections = [
        Section(part, [r for r in records[part.key] if r.extra.get("case") == case.pk]) for part in CASE_PARTS
    ]
    heading = _("Case opened on %(date)s") % {"date": case.opened_on.strftime("%d.%m.%Y")}
    return CaseSection(case.pk, heading, sections)


def _data_protection_officers(participant: Participant) -> list[str]:
    members = Membership.objects.filter(
        organisation_id=participant.organisation_id,
        role=Role.DATA_PROTECTION_OFFICER,
        ended_on__isnull=True,
        user__is_active=True,
    ).select_related("user")
    return [
        " · ".join(part for part in (m.user.get_full_name() or m.user.username, m.user.email) if part)
        for m in members
    ]


def _purposes(consents: list[Consent]) -> list[tuple[str, datetime.date, datetime.date | None]]:
    return [(str(ConsentPurpose(c.purpose).label), c.given_on, c.revoked_on) for c in consents]


def _recipients(
    loaded: dict[str, list[Any]], consent_links: dict[str, dict[Any, list[Any]]], names: Names
) -> list[Recipient]:
    result = []
    for consent in loaded["consents"]:
        if consent.purpose not in (ConsentPurpose.SHARING, ConsentPurpose.TRANSFER):
            continue
        basis = _("your consent: %(purpose)s") % {"purpose": ConsentPurpose(consent.purpose).label}
        for pk in consent_links["shared_with"].get(consent.pk, []):
            org = names.name(Organisation, pk)
            result.append(Recipient(org, basis, consent.given_on, consent.revoked_on))
    for transfer in loaded["transfers"]:
        basis = _("transfer of your case: %(status)s") % {"status": transfer.get_status_display()}
        to = names.name(Organisation, transfer.to_organisation_id)
        if transfer.to_organisation_id != transfer.from_organisation_id:
            result.append(Recipient(to, basis, transfer.requested_at.date()))
    participant = loaded["participant"][0]
    if loaded["esf_entry"]:  # ESF data are recorded for the funder's reporting only
        project = names.name(Project, participant.project_id)
        basis = _("reporting to the funder of the project %(project)s (European Social Fund Plus)") % {
            "project": project
        }
        result.append(Recipient(_("funding body of the project"), basis, participant.entry_date))
    return result


def _sources(transfers: list[CaseTransfer], names: Names) -> list[str]:
    sources = [_("You, and documents you showed us.")]
    for transfer in transfers:
        if (
            transfer.status == TransferStatus.ACCEPTED
            and transfer.from_organisation_id != transfer.to_organisation_id
        ):
            sources.append(
                _("%(organisation)s, which handed your case over to us on %(date)s.")
                % {
                    "organisation": names.name(Organisation, transfer.from_organisation_id),
                    "date": (transfer.decided_at or transfer.requested_at).strftime("%d.%m.%Y"),
                }
            )
    return sources


def _access_history(participant: Participant, records: dict[str, list[Record]]) -> list[AccessDay]:
    """Who (which organisation, not which person) did what with the records, per day."""
    ids: dict[str, set[str]] = defaultdict(set)
    for part_records in records.values():
        for record in part_records:
            ids[record.label].add(str(record.pk))
    condition = Q(pk__in=[])
    for label, pks in ids.items():
        condition |= Q(object_type=label, object_id__in=sorted(pks))
    rows = list(
        AuditEvent.objects.filter(condition)
        .annotate(day=TruncDate("created_at"))
        .values("day", "actor_id", "action")
        .annotate(count=Count("pk"))
        .order_by()
    )
    organisations = _actor_organisations({row["actor_id"] for row in rows if row["actor_id"]})
    totals: dict[tuple[datetime.date, str, str], int] = defaultdict(int)
    actions = dict(AuditAction.choices)
    for row in rows:
        organisation = organisations.get(row["actor_id"], _("the system"))
        totals[(row["day"], organisation, str(actions.get(row["action"], row["action"])))] += row["count"]
    return [
        AccessDay(day, organisation, action, count)
        for (day, organisation, action), count in sorted(
            totals.items(), key=lambda item: item[0], reverse=True
        )
    ]


def _actor_organisations(actor_ids: set[int]) -> dict[int, str]:
    found: dict[int, set[str]] = defaultdict(set)
    rows = Membership.objects.filter(user_id__in=sorted(actor_ids)).values_list(
        "user_id", "organisation__name"
    )
    for user_id, organisation in rows:
        found[user_id].add(organisation)
    return {user_id: " / ".join(sorted(names)) for user_id, names in found.items()}
