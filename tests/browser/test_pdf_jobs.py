"""A large access report (Art. 15 GDPR) as a background job: Anna starts the PDF on the
report page, a worker makes it, the page shows the progress and then the download, which
she saves; "Meine Aufträge" lists it. axe-core on every state of the page."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from bruecke.jobs.models import Job, JobState
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.browser.test_jobs import _WorkerThread
from tests.browser.test_jobs import worker as worker  # the fixture: the task worker in a thread

pytestmark = pytest.mark.browser


def test_a_large_access_report_is_made_as_a_job_and_downloaded(
    bpage: BrowserPage, worker: _WorkerThread, settings: Any, tmp_path: Path
) -> None:
    settings.ACCESS_REPORT_PDF_MAX_ROWS = 1  # every report is "large" here
    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    bpage.login("anna.berger")
    bpage.goto(f"/privacy/participant/{mohammed.pk}/access-report/")
    expect(page.locator("#pdf-job-notice")).to_be_visible()
    expect(page.get_by_role("link", name=tr("Download as PDF"))).to_have_count(0)
    check_axe(page)

    with page.expect_navigation():
        page.get_by_role("button", name=tr("Make the PDF as a job")).click()
    status = page.locator(".job-status")
    expect(status).to_contain_text(tr("waiting"))
    expect(page.get_by_role("button", name=tr("Make the PDF as a job"))).to_have_count(0)
    expect(status.locator("progress")).to_have_count(1)  # waiting for its turn
    check_axe(page)

    worker.start()  # the task worker of django-tasks-db beside the live server
    # The page polls the status with htmx and shows the download when the job is done.
    link = page.locator(".job-status a", has_text="auskunft-")
    expect(link).to_be_visible(timeout=60_000)
    expect(status.locator("[data-state]")).to_have_attribute("data-state", "done")
    worker.join(timeout=60)
    job = Job.objects.get()
    assert job.state == JobState.DONE and job.progress_done == job.progress_total == 3
    check_axe(page)

    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"auskunft-{mohammed.pk}-")
    target = tmp_path / "auskunft.pdf"
    download.save_as(target)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", str(target), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Al-Hassan" in text and "Auskunft über Ihre personenbezogenen" in text

    bpage.goto("/jobs/")
    expect(page.locator("table.jobs")).to_contain_text(f"Nr. {mohammed.pk}")
    expect(page.locator("table.jobs a", has_text="auskunft-")).to_be_visible()
    check_axe(page)


def test_a_large_plan_offers_its_pdf_as_a_job_on_the_print_page(bpage: BrowserPage, settings: Any) -> None:
    from bruecke.cases.models import Case

    settings.PDF_MAX_HTML_CHARS = 1_000  # every plan is "large" here
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan", participant__given_names="Mohammed")
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/plan/print/")
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Download as PDF")).click()
    expect(page.locator("#pdf-job-notice")).to_be_visible()  # the print page, with the offer
    expect(page.get_by_role("link", name=tr("Download as PDF"))).to_have_count(0)
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Make the PDF as a job")).click()
    expect(page.locator(".job-status")).to_contain_text(tr("waiting"))
    expect(page.locator("h1")).to_have_text(tr("Integration plan"))  # still the print page
    check_axe(page)
    assert Job.objects.get().kind == "cases.plan_pdf"
