"""Exports in the browser: the team lead makes the funder's participant file, sees it on
"Meine Exporte" while the real task worker runs it, and downloads it; a report export
started meanwhile downloads as well."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.jobs.models import Job
from bruecke.network.models import Network
from bruecke.projects.models import Project
from bruecke.reporting.exports import Choice, export_start
from bruecke.reporting.scope import resolve_scope
from tests import reporting_test_builders
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.browser.test_jobs import _WorkerThread
from tests.browser.test_jobs import worker as worker  # the fixture: the task worker beside the server


@pytest.mark.browser
def test_the_team_lead_makes_the_funder_file_and_downloads_an_export(
    bpage: BrowserPage, worker: _WorkerThread, tmp_path: Path
) -> None:
    lead = User.objects.get(username="petra.lange")
    bpage.login("petra.lange")
    page = bpage.page
    bpage.goto(reverse("reporting:index"))
    page.click(f"a[href='{reverse('reporting:funder_file')}']")
    page.wait_for_url(f"**{reverse('reporting:funder_file')}")
    check_axe(page)
    page.select_option("#id_format", "xml")
    bpage.submit()
    page.wait_for_url(f"**{reverse('reporting:exports')}")
    funder = Job.objects.get(kind="reporting.funder_file")

    # A report export by the same user, as the export buttons of a report page start it.
    network = Network.objects.get(pk=Project.objects.get(name="NAF MV plus").network_id)
    project = Project.objects.get(name="NAF MV plus")
    choice = Choice(
        project=project,
        scope=resolve_scope(lead, f"network-{network.pk}"),
        start=project.starts_on,
        end=project.starts_on.replace(month=12, day=31),
    )
    report = export_start(
        actor=lead, kind=reporting_test_builders.KIND, output_format="csv", choice=choice, language="de"
    )
    bpage.goto(reverse("reporting:exports"))
    assert page.locator("h1").inner_text() == tr("My exports")
    check_axe(page)

    worker.start()
    for job, name in ((funder, "teilnehmende_"), (report, "esf-indikatoren_")):
        link = page.locator(f"#job-status-{job.pk} a[href='{reverse('jobs:download', args=[job.pk])}']")
        link.wait_for(timeout=30_000)
        with page.expect_download() as download_info:
            link.click()
        download = download_info.value
        assert download.suggested_filename.startswith(name)
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        assert saved.stat().st_size > 0
    worker.join(timeout=30)
    check_axe(page)
    funder.refresh_from_db()
    assert (tmp_path / funder.result_filename).read_bytes().startswith(b"<?xml")
