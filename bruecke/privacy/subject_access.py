"""The data-subject access report (Art. 15 GDPR): everything stored about one participant.

What is read comes from `parts.PARTS`. The report is built with a fixed number of queries,
however many contacts or events a participant has: one per part, one per many-to-many
field, one per kind of related name, and the access history aggregated in SQL.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Case as Choose
from django.db.models import CharField, Count, F, Q, When
from django.db.models.functions import Cast, TruncDate
from django.utils.translation import gettext as _

from bruecke.accounts.models import User
from bruecke.cases.models import Case, CaseTransfer, TransferStatus
from bruecke.cases.selectors.cases import may_read_confidential
from bruecke.core.audit_queries import names_records
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.dedupe.access_report import DuplicateHistory, duplicate_history
from bruecke.network.models import Membership, Organisation, Role
from bruecke.participants.models import Consent, ConsentPurpose, Participant
from bruecke.privacy.parts import CASE_PARTS, PARTICIPANT_PARTS, PARTS, Part
from bruecke.privacy.records import EMPTY, JSON, Names, Record, plain
from bruecke.projects.models import Project


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

    def table(self) -> Table:
        """Many records as a table: one row each, only the columns some record fills (a
        long list of contacts stays readable on A4 and quick to print). Long free text
        (a note) goes into a full-width row of its own under its record: in a narrow cell it
        breaks over many pages and WeasyPrint lays the row out again on each (minutes per
        note, docs/benchmarks.md)."""
        if not self.records:
            return Table([], [])
        width = len(self.records[0].values)
        used = [i for i in range(width) if any(r.values[i].text != EMPTY for r in self.records)]
        labels = [self.records[0].values[i].label for i in used]
        rows = [[r.values[i].text for i in used] for r in self.records]
        if self.part.parent:
            labels.insert(0, str(self.part.parent[1]))
            for row, record in zip(rows, self.records, strict=True):
                row.insert(0, str(record.extra["parent_text"]))
        return _split_long_columns(labels, rows)


# Longer cell text than this moves its whole column into full-width rows (when the table
# has more than two columns): short values keep the compact grid, notes get the width.
LONG_CELL = 200


def _split_long_columns(labels: list[str], rows: list[list[str]]) -> Table:
    if len(labels) <= 2:
        return Table(labels, [TableRow(row, []) for row in rows])
    # The first column stays: a row needs at least one cell, and one column is full width.
    long = {i for i in range(1, len(labels)) if any(len(row[i]) > LONG_CELL for row in rows)}
    short = [i for i in range(len(labels)) if i not in long]
    return Table(
        [labels[i] for i in short],
        [
            TableRow([row[i] for i in short], [(labels[i], row[i]) for i in sorted(long) if row[i] != EMPTY])
            for row in rows
        ],
    )


@dataclass(frozen=True)
class TableRow:
    cells: list[str]
    notes: list[tuple[str, str]]  # (label, text) printed at full width under the row


@dataclass(frozen=True)
class Table:
    labels: list[str]
    rows: list[TableRow]


@dataclass(frozen=True)
class CaseSection:
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
    controller_dpos: list[str]
    sections: list[Section]
    cases: list[CaseSection]
    purposes: list[tuple[str, datetime.date, datetime.date | None]]
    recipients: list[Recipient]
    sources: list[str]
    access: list[AccessDay]
    withheld: int
    duplicates: DuplicateHistory  # what duplicate detection did with the person (own section)

    @property
    def rows(self) -> int:
        """Records and history rows: what the PDF's size and time grow with."""
        sections = [*self.sections, *(s for case in self.cases for s in case.sections)]
        records = sum(len(section.records) for section in sections)
        return records + len(self.access) + self.duplicates.rows

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
        result["duplicate_detection"] = self.duplicates.data()
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
    links = {
        part.key: readers[part.key].prepare(loaded[part.key], names, part.scope(participant).values("pk"))
        for part in PARTS
    }
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
                record.extra["parent_text"], record.extra["parent"] = plain(getattr(obj, "parent_ref", None))
            records[part.key].append(record)
    return Report(
        controller_dpos=_data_protection_officers(participant),
        sections=[Section(part, records[part.key]) for part in PARTICIPANT_PARTS],
        cases=[_case_section(case, records) for case in loaded["case"]],
        purposes=_purposes(loaded["consents"]),
        recipients=_recipients(loaded, links["consents"], names),
        sources=_sources(loaded["transfers"], names),
        access=_access_history(loaded),
        withheld=withheld,
        duplicates=duplicate_history(participant),
    )


def _case_section(case: Case, records: dict[str, list[Record]]) -> CaseSection:
    sections = [
        Section(part, [r for r in records[part.key] if r.extra.get("case") == case.pk]) for part in CASE_PARTS
    ]
    heading = _("Case opened on %(date)s") % {"date": case.opened_on.strftime("%d.%m.%Y")}
    return CaseSection(heading, sections)


def _data_protection_officers(participant: Participant) -> list[str]:
    # The contact the organisation publishes (also on the information sheet) comes first.
    published = [participant.organisation.privacy_officer] if participant.organisation.privacy_officer else []
    members = Membership.objects.filter(
        organisation_id=participant.organisation_id,
        role=Role.DATA_PROTECTION_OFFICER,
        ended_on__isnull=True,
        user__is_active=True,
    ).select_related("user")
    return published + [
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


# What counts once in the access history: an event; a list export written as several
# events (each names part of the file's records, decision 0073) counts once per file, by
# the job they all name.
_OCCURRENCE = Choose(
    When(action=AuditAction.EXPORT, object_ids__isnull=False, then=F("object_id")),
    default=Cast("pk", CharField()),
    output_field=CharField(),
)


def _access_history(loaded: dict[str, list[Any]]) -> list[AccessDay]:
    """Who (which organisation, not which person) did what with the records, per day. A
    page that showed several of the person's records is one event and counts once; so is
    an export, however many of its events name the person's records."""
    condition = Q(pk__in=[])
    for part in PARTS:
        # Alone (object_type/object_id) or in a page's list (object_ids): one test.
        condition |= names_records(part.label, [obj.pk for obj in loaded[part.key]])
    rows = list(
        AuditEvent.objects.filter(condition)
        .annotate(day=TruncDate("created_at"))
        .values("day", "actor_id", "action")
        .annotate(count=Count(_OCCURRENCE, distinct=True))
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
