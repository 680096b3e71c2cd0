"""The import in the browser: the placement officer uploads a German Excel file of
employers, maps its columns and its word "Gastronomie", sees the dry run's error, uploads
the corrected file and imports it; axe-core checks every page of the flow."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import Workbook
from playwright.sync_api import Page

from bruecke.placement.models import Employer
from bruecke.spreadsheets.models import ImportRun
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.browser.test_jobs import _WorkerThread

HEADER = ["Nr.", "Firma", "Branche"]
GOOD = [[1, "Café Rose", "Gastronomie"], [2, "Tischlerei Holz", "C"]]


def _xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def _with_notes_sheet(path: Path, rows: list[list[Any]]) -> Path:
    """A workbook whose first sheet is notes and whose second holds the rows."""
    book = Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notizen"
    notes.append(["Hinweis", "Stand"])
    notes.append(["Liste vom Amt", "2024"])
    data = book.create_sheet("Daten")
    for row in [HEADER, *rows]:
        data.append(row)
    book.save(path)
    return path


def _run_jobs() -> None:
    """The task worker beside the live server, once through the queue."""
    thread = _WorkerThread()
    if thread.shared is not None:
        thread.shared.inc_thread_sharing()
    try:
        thread.start()
        thread.join(timeout=60)
    finally:
        if thread.shared is not None:
            thread.shared.dec_thread_sharing()
    assert thread.error is None, thread.error


def _wait_for_state(page: Page, state: str) -> None:
    """htmx swaps the run's state in while the page polls."""
    page.locator(f"#run-state[data-state='{state}']").wait_for(timeout=30_000)


@pytest.mark.browser
def test_upload_map_dry_run_correct_and_import(bpage: BrowserPage, tmp_path: Path) -> None:
    bad = _with_notes_sheet(tmp_path / "Arbeitgeber.xlsx", [*GOOD, [3, None, "C"]])
    fixed = _xlsx(tmp_path / "Arbeitgeber-korrigiert.xlsx", GOOD)
    before = Employer.objects.count()
    bpage.login("jonas.krause")
    page = bpage.page

    page.click(f"nav a[href='{reverse('spreadsheets:import_upload')}']")
    page.wait_for_url(f"**{reverse('spreadsheets:import_upload')}")
    assert page.locator("h1").inner_text() == tr("Import data")
    check_axe(page)
    page.select_option("#id_entity", "employers")
    page.set_input_files("#id_file", str(bad))
    bpage.submit()

    # The first sheet holds notes: the rows are on the sheet „Daten“.
    assert page.locator("h1").inner_text() == tr("Map columns")
    uploaded = ImportRun.objects.get(file_name="Arbeitgeber.xlsx")
    sheet_url = reverse("spreadsheets:import_sheet", args=[uploaded.pk])
    page.click(f"a[href='{sheet_url}']")
    page.wait_for_url(f"**{sheet_url}")
    assert page.locator("h1").inner_text() == tr("Choose the worksheet")
    check_axe(page)
    page.select_option("#id_sheet", "Daten")
    bpage.submit()

    # Columns: suggested from the German headers of that sheet.
    assert page.locator("h1").inner_text() == tr("Map columns")
    assert page.locator("#id_column_name").input_value() == "Firma"
    assert page.locator("#id_column_sector").input_value() == "Branche"
    check_axe(page)
    page.fill("#id_save_as", "Arbeitgeberliste Browser")
    bpage.submit()

    # Values: the file's own word for a sector.
    assert page.locator("h1").inner_text() == tr("Map values")
    check_axe(page)
    page.select_option("#id_value_sector_0", "I")
    bpage.submit()

    # The dry run: progress, then the error of row 4 (the third data row).
    run = ImportRun.objects.get(file_name="Arbeitgeber.xlsx")
    page.wait_for_url(f"**{reverse('spreadsheets:import_run', args=[run.pk])}")
    check_axe(page)
    _run_jobs()
    _wait_for_state(page, "has_errors")
    error_row = page.locator("#row-4")
    assert "Firma" in error_row.inner_text()
    assert page.locator(f"form[action='{reverse('spreadsheets:import_start', args=[run.pk])}']").count() == 0
    check_axe(page)

    # The corrected file keeps the mapping: straight to the dry run after the columns.
    page.click(f"a[href='{reverse('spreadsheets:import_replace', args=[run.pk])}']")
    check_axe(page)
    page.set_input_files("#id_file", str(fixed))
    bpage.submit()
    assert page.locator("#id_column_name").input_value() == "Firma"
    bpage.submit()
    corrected = ImportRun.objects.get(file_name="Arbeitgeber-korrigiert.xlsx")
    page.wait_for_url(f"**{reverse('spreadsheets:import_run', args=[corrected.pk])}")
    _run_jobs()
    _wait_for_state(page, "checked")
    check_axe(page)

    with page.expect_navigation():
        page.click(f"form[action='{reverse('spreadsheets:import_start', args=[corrected.pk])}'] button")
    _run_jobs()
    _wait_for_state(page, "imported")
    rows = page.locator("table.import-rows tbody tr")
    assert rows.count() == 2
    assert tr("created") in rows.first.inner_text()
    check_axe(page)
    assert Employer.objects.count() == before + 2
    employer = Employer.objects.get(name="Café Rose")
    assert employer.sector == "I"
    assert page.locator(f"a[href='{reverse('placement:employer_detail', args=[employer.pk])}']").count() == 1

    bpage.goto(reverse("spreadsheets:import_list"))
    assert page.locator("h1").inner_text() == tr("My imports")
    check_axe(page)
