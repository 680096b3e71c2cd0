"""The import template: one sheet per importable entity type with every column, headers
the column mapping recognises by itself, the allowed values, no formulas, and a download
only for members who may import something."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.db import models
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from bruecke.network.demo import DemoNetwork
from bruecke.placement.models import Employer
from bruecke.placement.models.employers import Sector
from bruecke.spreadsheets import registry
from bruecke.spreadsheets.base import Column, Entity, ImportContext, Saved
from bruecke.spreadsheets.convert import Plan
from bruecke.spreadsheets.engine import RowResult, run_file
from bruecke.spreadsheets.mapping import suggest_columns
from bruecke.spreadsheets.reading import read_table
from bruecke.spreadsheets.template import build_template, header_text
from tests.clients import verified_client

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _sheet_titles(book: Any) -> dict[str, str]:
    """Entity key -> sheet title, by the entity's label (as the template names them)."""
    return {e.key: next(t for t in book.sheetnames if t.startswith(str(e.label)[:20])) for e in _entities()}


def _entities() -> list[Entity]:
    return registry.all_entities()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_every_registered_entity_has_a_sheet_with_every_column(language: str) -> None:
    with translation.override(language):
        book = load_workbook(io.BytesIO(build_template(_entities())))
        titles = _sheet_titles(book)
        assert book.sheetnames[0] == translation.gettext("Instructions")
        assert book.sheetnames[-1] == translation.gettext("Allowed values")
        for entity in _entities():
            sheet = book[titles[entity.key]]
            headers = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
            assert headers == [header_text(column) for column in entity.all_columns()]
            for cell, column in zip(next(sheet.iter_rows(max_row=1)), entity.all_columns(), strict=True):
                assert cell.comment is not None and f": {column.key}" in cell.comment.text
                assert str(cell.value).endswith(" *") == column.required
        if language == "de":
            assert [c.value for c in book[titles["employers"]][1]][:3] == [
                "externe Kennung *",
                "Name *",
                "Branche (WZ 2008) *",
            ]


@pytest.mark.django_db
def test_allowed_values_list_codes_and_german_labels() -> None:
    with translation.override("de"):
        book = load_workbook(io.BytesIO(build_template(_entities())))
        rows = [tuple(row) for row in book["Erlaubte Werte"].iter_rows(min_row=2, values_only=True)]
        sector_label = str(Sector.I.label)
    assert ("Arbeitgeber", "Branche (WZ 2008)", "I", sector_label) in rows
    assert sector_label.startswith("I – Gastgewerbe")
    instructions = [row[0] for row in book["Anleitung"].iter_rows(values_only=True)]
    assert "Importvorlage von Brücke" in instructions


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["de", "en"])
def test_a_filled_template_maps_every_column_back_and_imports(demo: DemoNetwork, language: str) -> None:
    with translation.override(language):
        data = build_template(_entities())
        for entity in _entities():
            book = load_workbook(io.BytesIO(data))
            title = _sheet_titles(book)[entity.key]
            book[title].append([f"value {n}" for n in range(len(entity.all_columns()))])
            filled = io.BytesIO()
            book.save(filled)
            table = read_table(filled.getvalue(), "vorlage.xlsx", sheet=title)
            mapped = suggest_columns(entity, table.headers)
            assert set(mapped) == {column.key for column in entity.all_columns()}, entity.key

        # The employers sheet, filled with the drop-down's labels, imports as it is.
        book = load_workbook(io.BytesIO(data))
        title = _sheet_titles(book)["employers"]
        employers = registry.get("employers")
        assert employers is not None
        row = {"external_id": "A-1", "name": "Bäckerei Kurz", "sector": str(Sector.I.label)}
        book[title].append([row.get(column.key) for column in employers.all_columns()])
        filled = io.BytesIO()
        book.save(filled)
        table = read_table(filled.getvalue(), "vorlage.xlsx", sheet=title)
        ctx = ImportContext(actor=demo.users["po_a"], organisation=demo.partners["A"], entity="employers")
        results: list[RowResult] = []
        plan = Plan(employers, suggest_columns(employers, table.headers))
        counts = run_file(ctx, plan, table, dry_run=False, on_row=results.append)
    assert counts.created == 1, results
    assert Employer.objects.get(pk=results[0].object_id or 0).sector == "I"


class _Hostile(Entity):
    key = "hostile"
    label = '=HYPERLINK("http://evil.example","x")'
    model = Employer
    columns = (
        Column("a", "+SUM(1,2)", required=True),
        Column("b", "-1+1", kind="choice", choices=lambda: [("@x", "=1+1"), ("-", "-cmd|' /C calc'!A0")]),
        Column("c", "@SUM(A1)", help="=2+3"),
    )

    def prepare(self, ctx: ImportContext, values: dict[str, Any], existing: models.Model | None) -> Any:
        return values

    def save(self, ctx: ImportContext, prepared: Any, existing: models.Model | None) -> Saved:
        raise AssertionError


def test_labels_that_look_like_formulas_stay_text() -> None:
    book = load_workbook(io.BytesIO(build_template([_Hostile()])))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                texts.append(cell.value)
    assert {"+SUM(1,2) *", "-1+1", "@SUM(A1)", "=1+1", "-cmd|' /C calc'!A0", "@x"} <= set(texts)
    sheet = book[book.sheetnames[1]]
    sheet.append(["1", "a", "b", "c"])  # the reader wants at least one data row
    filled = io.BytesIO()
    book.save(filled)
    table = read_table(filled.getvalue(), "t.xlsx", sheet=book.sheetnames[1])
    assert table.headers[1:] == ["+SUM(1,2) *", "-1+1", "@SUM(A1)"]


@pytest.mark.django_db
def test_download_for_members_who_may_import(demo: DemoNetwork) -> None:
    url = reverse("spreadsheets:import_template")
    response = verified_client(demo.users["po_a"]).get(url, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(io.BytesIO(response.content))
    assert "Arbeitgeber" in book.sheetnames
    assert verified_client(demo.users["coordinator"]).get(url).status_code == 404
    assert verified_client(demo.users["dpo"]).get(url).status_code == 404


@pytest.mark.django_db
def test_only_the_entities_the_user_may_import_get_a_sheet(demo: DemoNetwork) -> None:
    from bruecke.spreadsheets.selectors import importable_entities as importable_by

    assert importable_by(demo.users["admin"]) == []
    assert "employers" in [e.key for e in importable_by(demo.users["po_a"])]
    assert "employers" not in [e.key for e in importable_by(demo.users["cm_a"])]


@pytest.mark.django_db
def test_the_upload_page_links_the_template(persona: Any) -> None:
    page = verified_client(persona("po_a")).get(reverse("spreadsheets:import_upload"))
    assert reverse("spreadsheets:import_template") in page.content.decode()


@pytest.mark.django_db
def test_an_uploaded_template_is_read_from_the_sheet_of_the_chosen_data_type(persona: Any) -> None:
    """The template's first sheet is the instructions: the upload picks the sheet named
    like the data type, so a filled template needs no renaming."""
    from bruecke.spreadsheets.models import ImportRun

    user = persona("po_a")
    client = verified_client(user)
    data = client.get(reverse("spreadsheets:import_template")).content
    book = load_workbook(io.BytesIO(data))
    title = next(t for t in book.sheetnames if t.casefold() in ("arbeitgeber", "employers"))
    assert book.sheetnames.index(title) > 0
    book[title].append(["A-1", "Bäckerei Kurz", str(Sector.I.label)])
    filled = io.BytesIO(book_bytes(book))
    filled.name = "vorlage.xlsx"
    response = client.post(reverse("spreadsheets:import_upload"), {"entity": "employers", "file": filled})
    assert response.status_code == 302, response.content.decode()[-2000:]
    run = ImportRun.objects.filter(created_by=user).latest("created_at")
    assert run.sheet == title
    assert {"external_id", "name", "sector"} <= set(run.columns)


def book_bytes(book: Any) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
