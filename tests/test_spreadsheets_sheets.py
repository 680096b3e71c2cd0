"""The worksheet of a workbook with several: listed from the workbook part without
unpacking any sheet, chosen after the upload (default: the sheet named like the data type,
else the first), remembered on the run so the dry run and the import read the same sheet;
a missing or empty sheet is an error next to the field."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Sequence
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.placement.models import Employer
from bruecke.spreadsheets.models import ImportRun, RunState
from bruecke.spreadsheets.reading import UnreadableFile, sheet_names
from tests.clients import verified_client
from tests.jobs_helpers import run_queued_jobs

HEADER = ["Nr.", "Firma", "Branche"]
ROWS = [HEADER, ["1", "Café Blatt", "Gastronomie"], ["2", "Tischlerei Blatt", "C"]]


def workbook(sheets: dict[str, Sequence[Sequence[object]]]) -> bytes:
    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


THREE = workbook({"Notizen": [["Hinweis", "Stand"], ["Liste vom Amt", "2024"]], "Daten": ROWS, "Leer": []})


def test_the_sheet_names_come_from_the_workbook_part_in_their_order() -> None:
    assert sheet_names(THREE, "liste.xlsx") == ["Notizen", "Daten", "Leer"]
    assert sheet_names(b"Nr.;Firma\r\n1;A\r\n", "liste.csv") == []


def test_a_workbook_part_declaring_entities_is_refused() -> None:
    source = zipfile.ZipFile(io.BytesIO(THREE))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + data.split(b"?>", 1)[-1]
            target.writestr(info, data)
    with translation.override("de"), pytest.raises(UnreadableFile) as caught:
        sheet_names(out.getvalue(), "liste.xlsx")
    assert "beschädigt" in caught.value.message


@pytest.fixture
def po_a(persona: Callable[[str], User]) -> Client:
    return verified_client(persona("po_a"))


def upload(client: Client, data: bytes, name: str = "arbeitgeber.xlsx") -> Any:
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("spreadsheets:import_upload"), {"entity": "employers", "file": file})


@pytest.mark.django_db
def test_the_chosen_sheet_is_read_by_the_mapping_the_dry_run_and_the_import(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    user = persona("po_a")
    upload(po_a, THREE)
    run = ImportRun.objects.filter(created_by=user).latest("created_at")
    # No sheet is named like the data type: the first one, as before.
    assert (run.sheet, run.sheets, run.headers) == (
        "Notizen",
        ["Notizen", "Daten", "Leer"],
        ["Hinweis", "Stand"],
    )
    columns = po_a.get(reverse("spreadsheets:import_columns", args=[run.pk])).content.decode()
    assert reverse("spreadsheets:import_sheet", args=[run.pk]) in columns

    url = reverse("spreadsheets:import_sheet", args=[run.pk])
    page = po_a.get(url)
    assert [value for value, _label in page.context["form"].fields["sheet"].choices] == [
        "Notizen",
        "Daten",
        "Leer",
    ]
    assert page.context["form"]["sheet"].value() == "Notizen"

    # An empty sheet and one the workbook does not have: errors next to the field, nothing saved.
    response = po_a.post(url, {"sheet": "Leer"})
    assert response.status_code == 200
    assert response.context["form"].errors["sheet"] == ["Das Tabellenblatt „Leer“ enthält keine Zeilen."]
    response = po_a.post(url, {"sheet": "Fehlt"})
    assert response.status_code == 200 and response.context["form"].errors["sheet"]
    assert ImportRun.objects.get(pk=run.pk).sheet == "Notizen"

    response = po_a.post(url, {"sheet": "Daten"})
    assert response["Location"] == reverse("spreadsheets:import_columns", args=[run.pk])
    run = ImportRun.objects.get(pk=run.pk)
    assert (run.sheet, run.headers) == ("Daten", HEADER)
    assert run.columns == {"external_id": "Nr.", "name": "Firma", "sector": "Branche"}
    changes = AuditEvent.objects.filter(action=AuditAction.UPDATE, object_id=str(run.pk))
    assert any("sheet" in event.changed_fields for event in changes)

    data = {"column_external_id": "Nr.", "column_name": "Firma", "column_sector": "Branche"}
    response = po_a.post(reverse("spreadsheets:import_columns", args=[run.pk]), data)
    assert response["Location"] == reverse("spreadsheets:import_values", args=[run.pk])
    with django_capture_on_commit_callbacks(execute=True):
        po_a.post(reverse("spreadsheets:import_values", args=[run.pk]), {"value_sector_0": "I"})
    assert run_queued_jobs() == 1
    run = ImportRun.objects.get(pk=run.pk)
    assert run.state == RunState.CHECKED and run.counts["rows"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        po_a.post(reverse("spreadsheets:import_start", args=[run.pk]))
    assert run_queued_jobs() == 1
    assert ImportRun.objects.get(pk=run.pk).state == RunState.IMPORTED
    assert Employer.objects.filter(name__in=["Café Blatt", "Tischlerei Blatt"]).count() == 2


@pytest.mark.django_db
def test_the_sheet_named_like_the_data_type_stays_the_default(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    upload(po_a, workbook({"Notizen": [["Hinweis", "Stand"], ["x", "1"]], "Arbeitgeber": ROWS}))
    run = ImportRun.objects.filter(created_by=persona("po_a")).latest("created_at")
    assert (run.sheet, run.headers) == ("Arbeitgeber", HEADER)


@pytest.mark.django_db
def test_a_file_without_sheets_to_choose_goes_on_to_the_columns(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    upload(po_a, b"Nr.;Firma;Branche\r\n1;A;C\r\n", name="arbeitgeber.csv")
    run = ImportRun.objects.filter(created_by=persona("po_a")).latest("created_at")
    response = po_a.get(reverse("spreadsheets:import_sheet", args=[run.pk]))
    assert response["Location"] == reverse("spreadsheets:import_columns", args=[run.pk])
    assert (
        reverse("spreadsheets:import_sheet", args=[run.pk])
        not in po_a.get(response["Location"]).content.decode()
    )


@pytest.mark.django_db
def test_another_user_gets_404_for_the_sheet_page(po_a: Client, persona: Callable[[str], User]) -> None:
    upload(po_a, THREE)
    run = ImportRun.objects.filter(created_by=persona("po_a")).latest("created_at")
    other = verified_client(persona("team_lead"))
    assert other.get(reverse("spreadsheets:import_sheet", args=[run.pk])).status_code == 404
    assert (
        other.post(reverse("spreadsheets:import_sheet", args=[run.pk]), {"sheet": "Daten"}).status_code == 404
    )
    assert ImportRun.objects.get(pk=run.pk).sheet == "Notizen"
