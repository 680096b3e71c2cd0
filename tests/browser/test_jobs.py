"""A background job seen in the browser: "Meine Aufträge" shows a waiting job, htmx updates
its progress element while the real task worker runs it, and the result downloads."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.jobs.models import Job
from bruecke.jobs.services import job_start
from tests.browser.conftest import BrowserPage, check_axe, tr
from tests.jobs_helpers import run_queued_jobs


class _WorkerThread(threading.Thread):
    """The task worker beside the live server. With in-memory SQLite it shares the test's
    connection, as the live server thread does (a second connection would see another,
    empty database); on PostgreSQL it has its own."""

    def __init__(self) -> None:
        super().__init__(name="test-job-worker", daemon=True)
        # The wrapper itself (django.db.connection is a proxy that looks it up per thread).
        self.shared = connections["default"] if connection.vendor == "sqlite" else None
        self.error: BaseException | None = None

    def run(self) -> None:
        if self.shared is not None:
            connections["default"] = self.shared
        try:
            run_queued_jobs()
        except BaseException as error:
            self.error = error
        finally:
            if self.shared is None:
                connection.close()


@pytest.fixture
def worker() -> Iterator[_WorkerThread]:
    thread = _WorkerThread()
    if thread.shared is not None:
        thread.shared.inc_thread_sharing()
    yield thread
    if thread.is_alive():
        thread.join(timeout=30)
    if thread.shared is not None:
        thread.shared.dec_thread_sharing()
    assert thread.error is None, thread.error


@pytest.mark.browser
def test_progress_updates_through_htmx_and_the_result_downloads(
    bpage: BrowserPage, worker: _WorkerThread, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    user = User.objects.get(username="anna.berger")
    params = {"steps": 3, "gate": str(gate)}
    job = job_start(actor=user, kind="test.count", params=params, title="Testauftrag 1")
    bpage.login("anna.berger")
    page = bpage.page
    page.click(f"nav a[href='{reverse('jobs:list')}']")
    page.wait_for_url(f"**{reverse('jobs:list')}")
    assert page.locator("h1").inner_text() == tr("My jobs")
    status = page.locator(f"#job-status-{job.pk}")
    assert status.get_attribute("data-state") == "queued"
    assert page.locator(f"#job-status-{job.pk} progress").get_attribute("value") is None  # not started
    check_axe(page)

    worker.start()  # runs the job up to 1 of 3, then waits for the gate
    progress = page.locator(f"#job-status-{job.pk} progress")
    progress.and_(page.locator("[value='1']")).wait_for(timeout=15_000)
    assert progress.get_attribute("max") == "3"
    assert tr("%(done)s of %(total)s") % {"done": 1, "total": 3} in status.inner_text()
    assert page.url.endswith(reverse("jobs:list"))  # no reload: htmx swapped the status
    check_axe(page)

    gate.touch()
    link = page.locator(f"#job-status-{job.pk} a[href='{reverse('jobs:download', args=[job.pk])}']")
    link.wait_for(timeout=15_000)
    worker.join(timeout=30)
    assert page.locator(f"#job-status-{job.pk}").get_attribute("data-state") == "done"
    assert page.locator(f"#job-status-{job.pk}[hx-trigger]").count() == 0  # polling stopped
    check_axe(page)
    with page.expect_download() as download_info:
        link.click()
    download = download_info.value
    assert download.suggested_filename == "count.txt"
    saved = tmp_path / "count.txt"
    download.save_as(saved)
    assert saved.read_bytes() == b"step 1\nstep 2\nstep 3"
    assert Job.objects.get(pk=job.pk).state == "done"
