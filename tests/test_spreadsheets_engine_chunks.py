"""The engine works in chunks of rows (one external-key lookup and one savepoint per
chunk): still all or nothing across chunks, every row checked after a failed save,
idempotent, and a constant number of lookups per chunk."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer
from bruecke.placement.models.employers import Sector
from bruecke.placement.services.employers import employer_create, employer_update
from bruecke.spreadsheets import engine
from bruecke.spreadsheets.base import Column, Entity, ImportContext, RowInvalid, Saved
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import Counts, RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.models import ExternalKey
from bruecke.spreadsheets.reading import read_table


class _Employers(Entity):
    """Rows named "?…" pass the check but fail when saved (after the service wrote)."""

    key = "chunk-employers"
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
            employer = employer_create(
                actor=ctx.actor, employer=Employer(organisation=ctx.organisation, **data)
            )
            if prepared["name"].startswith("?"):
                raise RowInvalid([("name", "refused on save")])
            return Saved(employer, True)
        assert isinstance(existing, Employer)
        changed = existing.name != data["name"]
        return Saved(
            employer_update(actor=ctx.actor, employer=existing, data=data, expected_version=None), changed
        )


ENTITY = _Employers()


def _run(demo: DemoNetwork, names: list[str], *, dry_run: bool = False) -> tuple[Counts, list[RowResult]]:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(
        [["Nr.", "Firma", "Branche"], *[[str(i), n, "I"] for i, n in enumerate(names)]]
    )
    table = read_table(buffer.getvalue().encode(), "firmen.csv")
    ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity=ENTITY.key)
    results: list[RowResult] = []
    counts = run_file(
        ctx,
        Plan(ENTITY, suggest_columns(ENTITY, table.headers)),
        table,
        dry_run=dry_run,
        on_row=results.append,
    )
    return counts, results


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "CHUNK_ROWS", 3)


@pytest.mark.django_db
def test_an_error_in_a_later_chunk_imports_nothing(demo: DemoNetwork, small_chunks: None) -> None:
    before = Employer.objects.count()
    counts, results = _run(demo, [f"Firma {i}" for i in range(7)] + ["!kaputt", "Firma 8"])
    assert (counts.rows, counts.errors) == (9, 1)
    assert results[7].errors == [("name", "no exclamation marks")]
    assert results[8].outcome == "created"  # checked after the failure
    assert Employer.objects.count() == before
    assert not ExternalKey.objects.filter(entity=ENTITY.key).exists()


@pytest.mark.django_db
def test_a_failed_save_mid_chunk_rolls_back_and_later_rows_are_checked(
    demo: DemoNetwork, small_chunks: None
) -> None:
    before = Employer.objects.count()
    counts, results = _run(
        demo, ["Firma 0", "Firma 1", "Firma 2", "Firma 3", "?abgelehnt", "!kaputt", "Firma 6"]
    )
    assert [r.outcome for r in results] == ["created"] * 4 + ["error", "error", "created"]
    assert results[4].errors == [("name", "refused on save")]
    assert results[5].errors == [("name", "no exclamation marks")]
    assert counts.errors == 2
    assert Employer.objects.count() == before
    assert not ExternalKey.objects.filter(entity=ENTITY.key).exists()


@pytest.mark.django_db
def test_reimport_across_chunks_is_unchanged_with_one_lookup_per_chunk(
    demo: DemoNetwork, small_chunks: None
) -> None:
    names = [f"Firma {i}" for i in range(8)]
    counts, _results = _run(demo, names)
    assert counts.created == 8 and ExternalKey.objects.filter(entity=ENTITY.key).count() == 8
    with CaptureQueriesContext(connection) as queries:
        counts, results = _run(demo, names)
    assert counts.unchanged == 8
    lookups = [q["sql"] for q in queries.captured_queries if "spreadsheets_externalkey" in q["sql"]]
    assert len(lookups) == 3  # chunks of 3, 3 and 2 rows
    names[5] = "Firma fünf"
    counts, results = _run(demo, names)
    assert (counts.updated, counts.unchanged) == (1, 7)
    assert Employer.objects.get(pk=results[5].object_id or 0).name == "Firma fünf"
    counts, _results = _run(demo, names, dry_run=True)
    assert counts.unchanged == 8
