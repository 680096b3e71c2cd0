"""PDF rendering has a wall-clock limit: WeasyPrint runs in a child process that is stopped
after PDF_RENDER_TIMEOUT_SECONDS, and every PDF view then offers its fallback instead."""

from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from multiprocessing.context import SpawnProcess
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.cases.models import Case
from bruecke.core import pdf
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant

REPORT_STYLES = ("css/print.css", "css/access-report.css")


def _slow_table(rows: int) -> str:
    """The access report's six-column contact table with a 10,000-character note per row:
    the layout that takes minutes (benchmarks.md, "PDF rendering budget"); 5 rows take
    several seconds even on an idle machine."""
    note = "Gespräch " * 1_100
    row = "<tr>" + "<td>x</td>" * 5 + f"<td>{note}</td></tr>"
    return (
        '<html><body class="sheet report-sheet"><main><table class="records">'
        f"{row * rows}</table></main></body></html>"
    )


@pytest.fixture
def killed_children() -> Iterator[list[SpawnProcess]]:
    """Kills every rendering process right after it starts (a spy on multiprocessing's own
    start; our code runs unchanged): a child that crashes."""
    original = SpawnProcess.start
    started: list[SpawnProcess] = []

    def start_and_kill(self: SpawnProcess) -> None:
        original(self)
        started.append(self)
        self.kill()

    SpawnProcess.start = start_and_kill  # type: ignore[method-assign,assignment]
    try:
        yield started
    finally:
        SpawnProcess.start = original  # type: ignore[method-assign]


def test_a_slow_pdf_is_stopped_at_the_time_limit_and_leaves_no_process(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 1.0
    html = _slow_table(5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="bruecke.core.pdf"), pytest.raises(pdf.PdfTooSlow):
        pdf.render_pdf(html, REPORT_STYLES)
    assert time.monotonic() - started < 1.0 + 5  # stopped, not rendered to the end
    assert multiprocessing.active_children() == []  # terminated and reaped: no zombie
    assert issubclass(pdf.PdfTooSlow, pdf.PdfTooLarge)  # every caller's fallback applies
    message = " ".join(record.getMessage() for record in caplog.records)
    assert "PDF rendering stopped" in message and "Gespräch" not in message  # sizes, no data


def test_a_pdf_within_the_limit_is_rendered_by_the_child(settings: Any) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 60
    body = pdf.render_pdf("<html><body><p>Inhalt</p></body></html>", REPORT_STYLES)
    assert body.startswith(b"%PDF")
    assert multiprocessing.active_children() == []


def test_a_crashed_rendering_process_raises_instead_of_hanging(
    settings: Any, killed_children: list[SpawnProcess]
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 60
    started = time.monotonic()
    with pytest.raises(pdf.PdfRenderFailed):
        pdf.render_pdf("<html><body><p>Inhalt</p></body></html>", REPORT_STYLES)
    assert time.monotonic() - started < 30  # seen at once as an ended pipe, not the timeout
    assert len(killed_children) == 1
    assert multiprocessing.active_children() == []


def _python(script: str, **environment: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_rendering_process_loads_nothing_of_django() -> None:
    # What the spawned child runs: the worker module and a rendering. Django (settings, the
    # database connection) must stay in the web worker.
    script = (
        "import sys; from bruecke.core import pdf_worker; "
        "assert pdf_worker.render('<p>x</p>', '').startswith(b'%PDF'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    result = _python(script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(("value", "accepted"), [("4", False), ("5", True), ("1.5", False)])
def test_operators_set_the_time_limit_in_whole_seconds_of_at_least_five(value: str, accepted: bool) -> None:
    result = _python(
        "from django.conf import settings; print(settings.PDF_RENDER_TIMEOUT_SECONDS)",
        DJANGO_SETTINGS_MODULE="bruecke.settings",
        PDF_RENDER_TIMEOUT_SECONDS=value,
    )
    assert (result.returncode == 0) is accepted, result.stderr
    if accepted:
        assert result.stdout.strip() == value
    else:
        assert "PDF_RENDER_TIMEOUT_SECONDS" in result.stderr


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def test_an_access_report_pdf_that_times_out_offers_a_job_print_and_json(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.01  # no PDF can be made in time
    url = reverse("privacy:access_report_pdf", args=[_mohammed(demo).pk])
    response = login("cm_a").get(url, {"lang": "de"})
    assert response.status_code == 302 and "pdf=job" in response["Location"]
    page = login("cm_a").get(response["Location"]).content.decode()
    # A job renders with the longer JOB_PDF_TIMEOUT_SECONDS (tests/test_pdf_jobs.py).
    assert 'id="pdf-job-notice"' in page and "Als PDF herunterladen" not in page
    assert reverse("privacy:access_report_json", args=[_mohammed(demo).pk]) in page
    assert multiprocessing.active_children() == []


def test_a_plan_pdf_that_times_out_offers_the_print_page_and_a_job(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    settings.PDF_RENDER_TIMEOUT_SECONDS = 0.01
    case = Case.objects.filter(participant=_mohammed(demo)).first()
    assert case is not None
    response = login("cm_a").get(reverse("cases:plan_pdf", args=[case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:plan_print", args=[case.pk]))
    page = login("cm_a").get(response["Location"])
    assert page.status_code == 200
    assert reverse("cases:plan_pdf_job", args=[case.pk]) in page.content.decode()
    assert multiprocessing.active_children() == []
