"""The import engine: all or nothing, idempotent re-import, duplicate external ids, and
a changed row updating its record through the service (a test-only entity on employers)."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import models

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer
from bruecke.placement.models.employers import Sector
from bruecke.placement.services.employers import employer_create, employer_update
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns, unknown_words
from bruecke.spreadsheets.reading import read_table


class _Employers(Entity):
    key = "test-employers"
    label = "employers"
    model = Employer
    columns = (
        Column("name", "Name", required=True, max_length=200, aliases=("Firma",)),
        Column("sector", "Branche", kind="choice", required=True, choices=lambda: Sector.choices),
    )

    def prepare(self, ctx: ImportContext, values: dict[str, Any], existing: models.Model | None) -> Any:
        if values["name"].startswith("!"):
            raise RowInvalid([("name", "no exclamation marks")])
        return values

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        data = {"name": prepared["name"], "sector": prepared["sector"]}
        if existing is None:
            return Saved(
                employer_create(actor=ctx.actor, employer=Employer(organisation=ctx.organisation, **data)),
                True,
            )
        assert isinstance(existing, Employer)
        saved = employer_update(actor=ctx.actor, employer=existing, data=data, expected_version=None)
        return Saved(saved, saved.name != existing.name or True)


ENTITY = _Employers()


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _run(demo: DemoNetwork, data: bytes, *, dry_run: bool, values: dict[str, dict[str, str]] | None = None):
    ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity=ENTITY.key)
    table = read_table(data, "arbeitgeber.csv")
    plan = Plan(ENTITY, suggest_columns(ENTITY, table.headers), values or {})
    results: list[RowResult] = []
    counts = run_file(ctx, plan, table, dry_run=dry_run, on_row=results.append)
    return counts, results


HEADER = ["Nr.", "Firma", "Branche"]


@pytest.mark.django_db
def test_columns_are_suggested_from_headers_and_unknown_words_listed(demo: DemoNetwork) -> None:
    table = read_table(_csv([HEADER, ["1", "Bäckerei Kurz", "Gastro"]]), "a.csv")
    plan = Plan(ENTITY, suggest_columns(ENTITY, table.headers))
    assert plan.columns == {"external_id": "Nr.", "name": "Firma", "sector": "Branche"}
    assert unknown_words(plan, table) == {"sector": ["Gastro"]}


@pytest.mark.django_db
def test_import_is_all_or_nothing_and_idempotent(demo: DemoNetwork) -> None:
    before = Employer.objects.count()
    bad = _csv([HEADER, ["1", "Bäckerei Kurz", "I"], ["2", "!Kaputt", "I"], ["2", "Dopplung", "I"]])
    counts, results = _run(demo, bad, dry_run=False)
    assert Employer.objects.count() == before
    assert counts.errors == 2
    assert results[1].errors == [("name", "no exclamation marks")]
    assert results[2].errors[0][0] == "external_id" and " 3)" in results[2].errors[0][1]

    good = _csv([HEADER, ["1", "Bäckerei Kurz", "gastro"], ["2", "Tischlerei Holz", "C"]])
    counts, _results = _run(demo, good, dry_run=True, values={"sector": {"gastro": "I"}})
    assert (counts.created, Employer.objects.count()) == (2, before)
    counts, _results = _run(demo, good, dry_run=False, values={"sector": {"gastro": "I"}})
    assert (counts.created, Employer.objects.count()) == (2, before + 2)
    events = AuditEvent.objects.count()
    counts, _results = _run(demo, good, dry_run=False, values={"sector": {"gastro": "I"}})
    assert (counts.unchanged, counts.created, AuditEvent.objects.count()) == (2, 0, events)

    changed = _csv([HEADER, ["1", "Bäckerei Kurz & Söhne", "I"], ["2", "Tischlerei Holz", "C"]])
    counts, results = _run(demo, changed, dry_run=False)
    assert (counts.updated, counts.unchanged) == (1, 1)
    assert Employer.objects.get(pk=results[0].object_id).name == "Bäckerei Kurz & Söhne"


@pytest.mark.django_db
def test_the_employer_entity_creates_updates_and_keeps_unmapped_fields(demo: DemoNetwork) -> None:
    from bruecke.spreadsheets import registry

    entity = registry.get("employers")
    assert entity is not None
    ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity="employers")

    def run(rows: list[list[str]]) -> list[RowResult]:
        table = read_table(_csv(rows), "arbeitgeber.csv")
        plan = Plan(entity, suggest_columns(entity, table.headers), {"sector": {"gastronomie": "I"}})
        results: list[RowResult] = []
        run_file(ctx, plan, table, dry_run=False, on_row=results.append)
        return results

    first = run([["Nr.", "Firma", "Branche", "Notizen"], ["7", "Café Rose", "Gastronomie", "Mittagstisch"]])
    assert first[0].outcome == "created", first[0].errors
    employer = Employer.objects.get(pk=first[0].object_id or 0)
    assert (employer.sector, employer.notes, employer.organisation) == (
        "I",
        "Mittagstisch",
        demo.partners["A"],
    )
    second = run([["Nr.", "Firma", "Branche"], ["7", "Café Rosa", "Gastronomie"]])
    employer.refresh_from_db()
    assert second[0].outcome == "updated"
    assert (employer.name, employer.notes) == ("Café Rosa", "Mittagstisch")
    bad = run(
        [["Nr.", "Firma", "Branche", "Webseite"], ["8", "Kiosk", "Gastronomie", "nicht://eine adresse"]]
    )
    assert bad[0].outcome == "error" and bad[0].errors[0][0] == "website"
