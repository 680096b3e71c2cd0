"""The records of the funder's participant file: which participants, and what of them.

Which: participations of the project in the chosen scope that the user may see anyway
(`participants_visible_to`), whose entry or whose (latest) exit lies in the period. One row
per participation (decision 0064): a merged registration never, registrations of one person
at several partners (a confirmed match) once, as the earliest entry with the latest exit of
them all (none while one of them is open), under a pseudonym derived from the person's
oldest registration in the project, so that every partner's file names the person alike.
What: the entry questionnaire, the exit with its situations, the qualification and the
results EECR01–EECR06 per person (`bruecke.esf.results`) – and no name, address, contact
detail or free text. Read in chunks with a constant number of queries per chunk.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When

from bruecke.accounts.models import User
from bruecke.core.audit import audit_read_all
from bruecke.esf import results
from bruecke.esf.models import (
    Answer,
    Degurba,
    EntryRecord,
    ExitRecord,
    LabourMarketStatus,
    Municipality,
    is_complete,
    municipality_key,
)
from bruecke.participants.models import Gender, Participant
from bruecke.participants.selectors import participants_visible_to
from bruecke.projects.models import Project
from bruecke.reporting.funder.pseudonym import participant_pseudonym, pseudonym_key
from bruecke.reporting.indicators.joined import final_exit_of_groups
from bruecke.reporting.indicators.participations import ltu_q
from bruecke.reporting.people import JoinedPeople, among, join_people, project_people
from bruecke.reporting.scope import ReportScope

CHUNK_SIZE = 500

GENDER_CODES = {Gender.FEMALE: "W", Gender.MALE: "M", Gender.DIVERSE: "D", Gender.NOT_STATED: "X"}
LM_CODES = {
    LabourMarketStatus.EMPLOYED: "ERW",
    LabourMarketStatus.UNEMPLOYED: "ALO",
    LabourMarketStatus.INACTIVE: "NEW",
}
ANSWER_CODES = {Answer.YES: "J", Answer.NO: "N", Answer.REFUSED: "V"}
RESULT_CODES = (
    results.EECR01,
    results.EECR02,
    results.EECR03,
    results.EECR04,
    results.EECR05,
    results.EECR06,
)


@dataclass
class FunderRecord:
    """One participant as the funder file writes them (None = not known / not asked)."""

    pseudonym: str
    gender: str
    birth_year: int
    birth_month: int | None
    entry_date: datetime.date
    complete: bool
    lm_status: str | None = None
    isced: int | None = None
    long_term_unemployed: bool | None = None
    citizenships: str | None = None
    third_country_national: bool | None = None
    foreign_background: str | None = None
    disability: str | None = None
    minority: str | None = None
    homeless: str | None = None
    rural: bool | None = None
    exit_date: datetime.date | None = None
    exit_reason: str | None = None
    situations: list[tuple[datetime.date, str]] = field(default_factory=list)
    qualification: bool | None = None
    qualification_on: datetime.date | None = None
    # Code -> counts; EECR05/EECR06 are None outside the six-month base.
    results: dict[str, bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class FunderPeople:
    """Who is one person in the file: the joined participations among the rows the user
    may put into it, the exit record ending each (first registration → (exit id, date)),
    and the registration each pseudonym is derived from."""

    joined: JoinedPeople = field(default_factory=JoinedPeople)
    final_exits: dict[int, tuple[int, datetime.date]] = field(default_factory=dict)
    pseudonym_of: dict[int, int] = field(default_factory=dict)

    def pseudonym_id(self, participant_id: int) -> int:
        return self.pseudonym_of.get(participant_id, participant_id)


def _file_rows(user: User, project: Project, scope: ReportScope) -> QuerySet[Participant]:
    return participants_visible_to(user).filter(scope.participant_q(), project=project)


def pseudonym_ids(project_id: int) -> dict[int, int]:
    """Every linked registration of the project → the person's oldest registration in the
    project (the smallest id: it never changes when an entry date is corrected). Taken over
    the whole project, not the user's rows: two partners' files give the person one name."""
    return {
        member.pk: min(m.pk for m in group) for group in project_people(project_id).groups for member in group
    }


def funder_people(user: User, project: Project, scope: ReportScope) -> FunderPeople:
    """A constant number of queries: links, linked rows, their exits and open cases, and
    the links of the whole project for the pseudonyms."""
    joined = join_people(_file_rows(user, project, scope), project.network_id)
    return FunderPeople(joined, final_exit_of_groups(joined), pseudonym_ids(project.pk))


def funder_participants(
    user: User,
    project: Project,
    scope: ReportScope,
    start: datetime.date,
    end: datetime.date,
    people: FunderPeople | None = None,
) -> QuerySet[Participant]:
    """The participations of the file (one row each), in a stable order (by id)."""
    people = people or funder_people(user, project, scope)
    exit_in_period = ExitRecord.objects.filter(
        participant=OuterRef("pk"), exit_date__gte=start, exit_date__lte=end
    )
    firsts = people.joined.first_ids()
    # A joined participation is in the period by its first entry or by its final exit.
    left = Q(Exists(exit_in_period)) & ~among("pk", firsts) if firsts else Q(Exists(exit_in_period))
    ended = [first for first, (_pk, day) in people.final_exits.items() if start <= day <= end]
    return (
        _file_rows(user, project, scope)
        .exclude(among("pk", people.joined.later_ids()))
        .filter(Q(entry_date__gte=start, entry_date__lte=end) | left | Q(pk__in=ended))
        .annotate(
            is_long_term_unemployed=Case(
                When(ltu_q(project), then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        .order_by("pk")
    )


def _long_term_unemployed(participant: Participant, entry: EntryRecord) -> bool | None:
    """The report's own rule (§11.4 with the project's `ltu_rule`), computed in SQL by
    `funder_participants`: the file and the indicator EECO03 cannot disagree."""
    if not entry.lm_status_entry:
        return None
    return bool(getattr(participant, "is_long_term_unemployed", False))


def _rural_by_town(participants: list[Participant]) -> dict[str, bool | None]:
    """The degree of urbanisation of the chunk's towns in one query (rural = DEGURBA 3)."""
    keys = {municipality_key(p.town) for p in participants if p.town.strip()}
    degrees: dict[str, set[int]] = {}
    for key, degree in Municipality.objects.filter(name_key__in=keys).values_list("name_key", "degurba"):
        degrees.setdefault(key, set()).add(degree)
    return {
        key: (found.pop() == Degurba.RURAL if len(found) == 1 else None) for key, found in degrees.items()
    }


def _entry_fields(
    record: FunderRecord, participant: Participant, entry: EntryRecord, rural_by_town: dict[str, bool | None]
) -> None:
    town = participant.town
    record.lm_status = LM_CODES.get(entry.lm_status_entry)  # type: ignore[call-overload]
    record.isced = entry.isced_level
    record.long_term_unemployed = _long_term_unemployed(participant, entry)
    record.citizenships = entry.citizenships or None
    record.third_country_national = entry.third_country_national_at_entry
    record.foreign_background = ANSWER_CODES.get(entry.foreign_background)
    record.disability = ANSWER_CODES.get(entry.disability)
    record.minority = ANSWER_CODES.get(entry.minority)
    record.homeless = ANSWER_CODES.get(entry.homeless_or_housing_exclusion)
    if entry.rural_area is not None:
        record.rural = entry.rural_area
    elif town.strip():
        record.rural = rural_by_town.get(municipality_key(town))


def _exit_fields(record: FunderRecord, exit_record: ExitRecord) -> None:
    """The latest exit (§11.1) with its window's situations and results per person."""
    situations = list(exit_record.situations.all())
    follow_ups = list(exit_record.follow_ups.all())
    record.exit_date = exit_record.exit_date
    record.exit_reason = exit_record.exit_reason
    record.situations = [(s.date, s.kind) for s in sorted(situations, key=lambda s: (s.date, s.pk))]
    record.qualification = exit_record.qualification_gained
    record.qualification_on = exit_record.qualification_on if exit_record.qualification_gained else None
    immediate = results.immediate_results(
        entry_date=record.entry_date,
        exit_date=exit_record.exit_date,
        situations=[s.as_result_input() for s in situations],
        qualification_on=record.qualification_on,
    )
    longer = results.longer_term_results(
        exit_date=exit_record.exit_date,
        employed_at_entry=record.lm_status == LM_CODES[LabourMarketStatus.EMPLOYED],
        answers=[f.as_result_input() for f in follow_ups],
    )
    record.results = {code: code in immediate.codes for code in RESULT_CODES[:4]}
    for code in (results.EECR05, results.EECR06):
        record.results[code] = None if longer is None else code in longer


def _record(
    participant: Participant,
    project_id: int,
    key: bytes,
    rural_by_town: dict[str, bool | None],
    people: _Chunked,
) -> FunderRecord:
    entry: EntryRecord | None = getattr(participant, "esf_entry", None)
    pseudonym_id = people.people.pseudonym_id(participant.pk)
    record = FunderRecord(
        pseudonym=participant_pseudonym(project_id=project_id, participant_id=pseudonym_id, key=key),
        gender=GENDER_CODES.get(participant.gender, "X"),  # type: ignore[call-overload]
        birth_year=participant.birth_year,
        birth_month=None if participant.birth_date_is_placeholder else participant.birth_month,
        entry_date=participant.entry_date,
        complete=is_complete(participant, entry),
    )
    if entry is not None:
        _entry_fields(record, participant, entry, rural_by_town)
    if participant.pk in people.firsts:
        # A joined participation: the latest exit of all its registrations, or none.
        final = people.exits.get(participant.pk)
        if final is not None:
            _exit_fields(record, final)
        return record
    exits = list(participant.esf_exits.all())
    if exits:
        _exit_fields(record, max(exits, key=lambda e: (e.exit_date, e.pk)))
    return record


@dataclass(frozen=True)
class _Chunked:
    """FunderPeople with the final exit records of the joined participations read once."""

    people: FunderPeople
    firsts: frozenset[int]
    exits: dict[int, ExitRecord]


def _with_exits(people: FunderPeople) -> _Chunked:
    ids = {pk: first for first, (pk, _day) in people.final_exits.items()}
    records = ExitRecord.objects.filter(pk__in=sorted(ids)).prefetch_related("situations", "follow_ups")
    return _Chunked(
        people=people,
        firsts=frozenset(people.joined.first_ids()),
        exits={ids[record.pk]: record for record in records} if ids else {},
    )


def funder_records(
    participants: QuerySet[Participant],
    project_id: int,
    chunk_size: int = CHUNK_SIZE,
    reader: User | None = None,
    people: FunderPeople | None = None,
) -> Iterator[list[FunderRecord]]:
    """The records chunk by chunk: one query for the chunk's participants with their entry,
    one each for exits, situations, follow-ups and the towns' urbanisation. With `reader`,
    each chunk's participants are recorded as read by that user (one INSERT per chunk):
    a person's own log shows that their data went into a funder file. `people`
    (`funder_people`) joins registrations across partners; without it only the pseudonyms
    are derived per person (one query for the project's links, more when it has some)."""
    key = pseudonym_key()
    if people is None:
        people = FunderPeople(pseudonym_of=pseudonym_ids(project_id))
    chunked = _with_exits(people) if people.joined else _Chunked(people, frozenset(), {})
    queryset = participants.select_related("esf_entry").prefetch_related(
        Prefetch(
            "esf_exits",
            queryset=ExitRecord.objects.prefetch_related("situations", "follow_ups"),
        )
    )
    chunk: list[Participant] = []
    # iterator(chunk_size) prefetches per chunk of that size (a server-side cursor on
    # PostgreSQL): never the whole file in memory, the same queries for every chunk.
    for participant in queryset.iterator(chunk_size=chunk_size):
        chunk.append(participant)
        if len(chunk) == chunk_size:
            yield _chunk_records(chunk, project_id, key, reader, chunked)
            chunk = []
    if chunk:
        yield _chunk_records(chunk, project_id, key, reader, chunked)


def _chunk_records(
    chunk: list[Participant], project_id: int, key: bytes, reader: User | None, people: _Chunked
) -> list[FunderRecord]:
    if reader is not None:
        audit_read_all(actor=reader, objs=chunk)
    rural_by_town = _rural_by_town(chunk)
    return [_record(p, project_id, key, rural_by_town, people) for p in chunk]
