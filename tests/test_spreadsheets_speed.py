"""The import's speed measures keep its behaviour: form fields built once per file give the
page's rules and messages row after row; a chunk's participants are created together
with the same derived records and audit events as `participant_create`, in a number of
queries that does not grow with the rows (beyond the bounded per-row constant stated
below); and a chunk whose joint save is refused is saved row by row to name the row."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.dedupe.models import BlockingKey, CrossPartnerBlock, CrossPartnerEncoding
from bruecke.esf.models import EntryRecord
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services
from bruecke.participants.models import NameKey, NameVariant, Participant
from bruecke.placement.models import Employer
from bruecke.placement.models.employers import Sector
from bruecke.placement.services.employers import employer_create
from bruecke.projects.models import Project
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.entities.participants import ParticipantImportForm
from bruecke.spreadsheets.formbacked import file_form
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.models import ExternalKey
from bruecke.spreadsheets.reading import read_table

PEOPLE = ["Nr.", "Vorname", "Nachname", "Andere Schreibweisen", "Geburtsdatum", "Geschlecht"]
PEOPLE += ["Staatsangehörigkeit", "Eintritt", "Projekt"]
# Names no demo registration of another partner resembles: no cross-partner candidates.
SYLLABLES = ["qua", "zor", "vex", "plim", "trab", "koz", "wum", "frel", "yib", "dast"]


def _name(n: int) -> str:
    return "".join(SYLLABLES[int(d)] for d in f"{n:03d}").capitalize()


def _person(prefix: str, n: int) -> list[str]:
    return [f"{prefix}-{n}", _name(n), "Xobrandt", "", "1990", "m", "SY", "01.02.2025", ""]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _run(
    demo: DemoNetwork, entity: Entity | str, rows: list[list[str]], *, dry_run: bool = False
) -> tuple[Counts, list[RowResult]]:
    found = registry.get(entity) if isinstance(entity, str) else entity
    assert found is not None
    ctx = ImportContext(actor=demo.users["cm_a"], organisation=demo.partners["A"], entity=found.key)
    table = read_table(_csv(rows), "liste.csv")
    plan = Plan(found, suggest_columns(found, table.headers), {})
    results: list[RowResult] = []
    with translation.override("de"):
        counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
    return counts, results


# More INSERT statements for more rows where SQLite's limit of variables per statement
# splits a bulk insert (one statement per table on PostgreSQL at these sizes).
BATCHES = 4


def _queries(captured: CaptureQueriesContext) -> int:
    return sum(1 for q in captured.captured_queries if "SAVEPOINT" not in q["sql"])


def _imported(external_id: str) -> Participant:
    key = ExternalKey.objects.get(entity="participants", external_id=external_id)
    return Participant.objects.get(pk=key.object_id)


@pytest.mark.django_db
def test_forms_sharing_the_files_fields_judge_every_row_as_a_fresh_form(demo: DemoNetwork) -> None:
    ctx = ImportContext(actor=demo.users["cm_a"], organisation=demo.partners["A"], entity="participants")
    projects = {"1": Project.objects.get(name="NAF MV plus")}
    good = {"given_names": "Amir", "family_name": "Haddad", "birth_date": "1994", "gender": "male"}
    good |= {"entry_date": "01.02.2025", "project": "1", "nationality": "SY"}
    rows: list[dict[str, Any]] = [
        good,
        good | {"birth_date": "31.02.1994", "gender": "", "nationality": "QQ"},
        good | {"given_names": "", "given_names_own_script": "أمير", "children": "1890"},
        good,
        good | {"entry_date": "01.01.2999", "other_languages": ["xx"]},
        good,
    ]
    with translation.override("de"):
        for data in rows:
            fresh = ParticipantImportForm(data=dict(data), projects=projects)
            shared = file_form(ctx, ParticipantImportForm, True, data=dict(data), projects=projects)
            assert shared.is_valid() == fresh.is_valid()
            assert shared.errors == fresh.errors
            assert shared.fields is not fresh.fields


@pytest.mark.django_db
def test_a_chunk_of_participants_gets_what_participant_create_gives_one(demo: DemoNetwork) -> None:
    row = ["B-1", "Amir", "Haddad", "Emir Hadad; Amier Haddat", "00.00.1994", "m", "SY", "01.02.2025", ""]
    counts, results = _run(demo, "participants", [PEOPLE, row, _person("B", 2)])
    assert counts.created == 2, [r.errors for r in results]
    imported = _imported("B-1")
    alone = Participant(
        organisation=imported.organisation,
        team=imported.team,
        project=imported.project,
        given_names=imported.given_names,
        family_name=imported.family_name,
        birth_year=1994,
        gender=imported.gender,
        nationality=imported.nationality,
        entry_date=imported.entry_date,
    )
    alone = services.participant_create(
        actor=demo.users["cm_a"], participant=alone, variants=["Emir Hadad", "Amier Haddat"]
    )
    alone.refresh_from_db()

    def derived(participant: Participant) -> tuple[Any, ...]:
        encoding = CrossPartnerEncoding.objects.get(participant=participant)
        return (
            participant.latin_name,
            participant.eligibility,
            participant.created_by_id,
            sorted(NameVariant.objects.filter(participant=participant).values_list("name", flat=True)),
            sorted(NameKey.objects.filter(participant=participant).values_list("key", flat=True)),
            sorted(BlockingKey.objects.filter(participant=participant).values_list("key", "organisation_id")),
            bytes(encoding.bits),
            sorted(CrossPartnerBlock.objects.filter(encoding=encoding).values_list("key", flat=True)),
        )

    assert derived(imported) == derived(alone)
    assert NameKey.objects.filter(participant=imported).exists()

    def events(participant: Participant) -> list[tuple[Any, ...]]:
        variants = NameVariant.objects.filter(participant=participant).values_list("pk", flat=True)
        found = AuditEvent.objects.filter(
            object_type="participants.participant", object_id=str(participant.pk)
        ) | AuditEvent.objects.filter(
            object_type="participants.namevariant", object_id__in=[str(pk) for pk in variants]
        )
        return sorted(
            (e.action, e.object_type, e.actor_id, e.organisation_id, tuple(e.changed_fields)) for e in found
        )

    assert events(imported) == events(alone)
    assert [e[0] for e in events(imported)] == [AuditAction.CREATE] * 3


@pytest.mark.django_db
def test_the_queries_of_a_participant_import_do_not_grow_with_its_rows(demo: DemoNetwork) -> None:
    def imported(prefix: str, count: int) -> int:
        rows = [PEOPLE, *[_person(prefix, n) for n in range(count)]]
        with CaptureQueriesContext(connection) as captured:
            counts, results = _run(demo, "participants", rows)
        assert counts.created == count, [r.errors for r in results if r.errors]
        return _queries(captured)

    few, many = imported("F", 5), imported("M", 45)
    # The one query per row left is the cross-partner comparison of each new registration
    # (its candidates among the other partners' encodings; none here).
    assert many - few <= 40 * 1 + BATCHES, (few, many)
    assert few <= 40, few
    assert (
        AuditEvent.objects.filter(action=AuditAction.CREATE, object_type="participants.participant").count()
        >= 50
    )


@pytest.mark.django_db
def test_the_queries_of_an_esf_entry_import_do_not_grow_with_its_rows(demo: DemoNetwork) -> None:
    counts, _results = _run(demo, "participants", [PEOPLE, *[_person("E", n) for n in range(50)]])
    assert counts.created == 50
    header = ["Nr.", "Teilnehmer", "Erwerbsstatus", "ISCED", "sensible Fragen gestellt am"]

    def entries(first: int, count: int, *, dry_run: bool) -> int:
        rows = [
            header,
            *[[f"Q-{n}", f"E-{n}", "nicht erwerbstätig", "ISCED 3", ""] for n in range(first, first + count)],
        ]
        with CaptureQueriesContext(connection) as captured:
            counts, results = _run(demo, "esf_entries", rows, dry_run=dry_run)
        assert counts.created == count, [r.errors for r in results if r.errors]
        return _queries(captured)

    assert entries(0, 40, dry_run=True) - entries(0, 5, dry_run=True) == 0
    # The one query per row left: the unique check of the record's participant. SQLite
    # splits a bulk INSERT into batches of fewer rows than PostgreSQL: a few more per chunk.
    few = entries(0, 5, dry_run=False)
    assert entries(5, 45, dry_run=False) - few <= 40 * 1 + BATCHES
    assert EntryRecord.objects.filter(participant__in=[_imported(f"E-{n}") for n in range(50)]).count() == 50


class _Employers(Entity):
    """Saved a chunk at a time; the joint save refuses a chunk holding a row named "?…",
    which the row-by-row save then names."""

    key = "speed-employers"
    label = "employers"
    model = Employer
    columns = (
        Column("name", "Name", required=True, max_length=200, aliases=("Firma",)),
        Column("sector", "Branche", kind="choice", required=True, choices=lambda: Sector.choices),
    )
    saves_chunks = True
    chunks_saved = 0

    def prepare(self, ctx: ImportContext, values: dict[str, Any], existing: models.Model | None) -> Any:
        return values

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        data = {"name": prepared["name"], "sector": prepared["sector"]}
        employer = employer_create(actor=ctx.actor, employer=Employer(organisation=ctx.organisation, **data))
        if prepared["name"].startswith("?"):
            raise RowInvalid([("name", "refused on save")])
        return Saved(employer, True)

    def save_chunk(self, ctx: ImportContext, rows: Any) -> list[Saved]:
        saved = [self.save(ctx, prepared, existing) for prepared, existing in rows]
        type(self).chunks_saved += 1
        return saved


@pytest.mark.django_db
def test_a_refused_joint_save_is_repeated_row_by_row_and_names_the_row(demo: DemoNetwork) -> None:
    sector = str(Sector.choices[0][1])
    ok = [["Nr.", "Firma", "Branche"], ["1", "Alpha", sector], ["2", "Beta", sector]]
    counts, results = _run(demo, _Employers(), ok)
    assert (counts.created, _Employers.chunks_saved) == (2, 1)
    assert [r.outcome for r in results] == ["created", "created"]
    assert all(r.object_id for r in results)

    before = Employer.objects.count()
    bad = [["Nr.", "Firma", "Branche"], ["3", "Gamma", sector], ["4", "?Delta", sector], ["5", "Eps", sector]]
    counts, results = _run(demo, _Employers(), bad)
    assert counts.errors == 1
    assert [r.external_id for r in results] == ["3", "4", "5"]
    assert results[1].errors == [("name", "refused on save")]
    assert Employer.objects.count() == before  # all or nothing
