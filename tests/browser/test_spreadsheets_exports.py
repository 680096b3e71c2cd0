"""A list export in the browser: from the participant list with a filter, the user opens
the export control, starts the XLSX export, sees it on "Meine Listenexporte" while the
real task worker runs it, and downloads a workbook holding only the filtered rows."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bruecke.accounts.models import User
from bruecke.jobs.models import Job
from bruecke.participants.models import Participant
from bruecke.participants.selectors import participants_visible_to
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.browser.test_jobs import _WorkerThread
from tests.browser.test_jobs import worker as worker  # the fixture: the task worker beside the server


@pytest.mark.browser
def test_the_filtered_participant_list_exports_as_xlsx(
    bpage: BrowserPage, worker: _WorkerThread, tmp_path: Path
) -> None:
    anna = User.objects.get(username="anna.berger")
    shown = participants_visible_to(anna).exclude(current_status="")
    status = shown.values_list("current_status", flat=True).first()
    assert status, "the demo has participants with a residence status"
    bpage.login("anna.berger")
    page = bpage.page
    bpage.goto(reverse("participants:list"))
    page.select_option("#filter-status", status)
    page.click("form.filter-form button[type=submit]")
    page.wait_for_url(f"**status={status}**")
    summary = page.locator(".list-export summary")
    summary.click()
    check_axe(page)
    page.check("#export-participants-xlsx")
    page.click(".list-export__form button[type=submit]")
    page.wait_for_url(f"**{reverse('spreadsheets:exports')}")
    assert page.locator("h1").inner_text() == tr("My list exports")
    check_axe(page)

    job = Job.objects.get(kind="spreadsheets.list_export")
    worker.start()
    link = page.locator(f"#job-status-{job.pk} a[href='{reverse('jobs:download', args=[job.pk])}']")
    link.wait_for(timeout=30_000)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith("teilnehmende_")
    assert download.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    worker.join(timeout=30)
    check_axe(page)

    sheet = load_workbook(io.BytesIO(saved.read_bytes()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    status_label = Participant(current_status=status).get_current_status_display()
    statuses = {row[header.index(tr("residence status").capitalize())] for row in body} if body else set()
    assert body and statuses <= {str(status_label)}
