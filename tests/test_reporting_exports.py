"""Exports of any report as background jobs, through the views and a real worker run:
start, one job for two clicks, the files read back, access to the download."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bruecke.jobs.models import Job, JobState
from bruecke.jobs.services import job_start
from bruecke.network.demo import DemoNetwork
from bruecke.projects.models import Project
from bruecke.reporting.jobs import EXPORT_KIND, NO_ACCESS
from tests import reporting_test_builders
from tests.jobs_helpers import refreshed, run_queued_jobs

START = "reporting:export_start"


@pytest.fixture(autouse=True)
def _results_dir(settings: Any, tmp_path: Path) -> None:
    settings.JOB_RESULTS_DIR = tmp_path / "jobs"


def _project(demo: DemoNetwork) -> Project:
    return Project.objects.get(network=demo.network, name="NAF MV plus")


def _choice(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    return {
        "kind": reporting_test_builders.KIND,
        "format": "xlsx",
        "project": _project(demo).pk,
        "start": "2024-01-01",
        "end": "2024-12-31",
        "scope": f"network-{demo.network.pk}",
        **overrides,
    }


def _start(client: Client, data: dict[str, Any], capture: Any) -> Any:
    with capture(execute=True):
        return client.post(reverse(START), data)


def _download(client: Client, job: Job) -> Any:
    return client.get(reverse("jobs:download", args=[job.pk]))


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_an_xlsx_export_runs_and_reads_back(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("team_lead")
    response = _start(client, _choice(demo), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == reverse("reporting:exports")
    job = Job.objects.get(kind=EXPORT_KIND)
    assert "@" not in job.title and "Lange" not in job.title
    assert run_queued_jobs() == 1
    job = refreshed(job)
    assert job.state == JobState.DONE, job.error_message
    assert job.result_filename == "esf-indikatoren_2024-01-01_2024-12-31.xlsx"
    download = _download(client, job)
    assert download.status_code == 200
    workbook = load_workbook(io.BytesIO(_content(download)))
    assert len(workbook.sheetnames) == 2
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[2] == ("Frauen (Größe)", 12, 0.25, datetime.datetime(2024, 1, 1))
    assert rows[3][:3] == ('\'=HYPERLINK("http://x")', -3, 1.5)
    # The list shows the export with its status and download link.
    page = client.get(reverse("reporting:exports")).content.decode()
    assert reverse("jobs:download", args=[job.pk]) in page


@pytest.mark.parametrize(("output_format", "delimiter"), [("csv", ";"), ("csv-comma", ",")])
def test_csv_exports_have_a_bom_and_the_chosen_delimiter(
    output_format: str,
    delimiter: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("coordinator")
    _start(client, _choice(demo, format=output_format), django_capture_on_commit_callbacks)
    run_queued_jobs()
    job = Job.objects.get(kind=EXPORT_KIND)
    assert job.state == JobState.DONE, job.error_message
    content = _content(_download(client, job))
    assert content.startswith(b"\xef\xbb\xbf")
    text = content.decode("utf-8-sig")
    assert f"Frauen (Größe){delimiter}12{delimiter}" in text
    assert "'+Hinweis" in text
    assert job.result_filename.endswith(".csv")


def test_a_pdf_export_is_a_pdf(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("team_lead")
    _start(client, _choice(demo, format="pdf"), django_capture_on_commit_callbacks)
    run_queued_jobs()
    job = Job.objects.get(kind=EXPORT_KIND)
    assert job.state == JobState.DONE, job.error_message
    assert _content(_download(client, job)).startswith(b"%PDF")


def test_two_clicks_give_one_job(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("team_lead")
    _start(client, _choice(demo), django_capture_on_commit_callbacks)
    _start(client, _choice(demo), django_capture_on_commit_callbacks)
    assert Job.objects.filter(kind=EXPORT_KIND).count() == 1
    # Another format is another export.
    _start(client, _choice(demo, format="pdf"), django_capture_on_commit_callbacks)
    assert Job.objects.filter(kind=EXPORT_KIND).count() == 2


def test_another_users_download_and_an_expired_one_are_404(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    _start(login("team_lead"), _choice(demo, format="csv"), django_capture_on_commit_callbacks)
    run_queued_jobs()
    job = Job.objects.get(kind=EXPORT_KIND)
    assert _download(login("coordinator"), job).status_code == 404
    assert _download(login("cm_a"), job).status_code == 404
    assert job.pk.hex not in login("coordinator").get(reverse("reporting:exports")).content.decode()
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert _download(login("team_lead"), job).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "2023-12-31"}, "Ende"),
        ({"start": "2023-01-01"}, "Projekt"),
        ({"start": "kein Datum"}, "Datum"),
        ({"kind": "nope"}, "Auswahl"),
        ({"format": "exe"}, "Auswahl"),
        ({"start": ""}, "Von: Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_bad_choices_start_nothing_and_say_why(
    overrides: dict[str, str],
    message: str,
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("team_lead")
    response = _start(client, _choice(demo, **overrides), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert not Job.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Der Export konnte nicht gestartet werden" in page
    assert message in page


def test_forged_scope_or_project_is_404(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    client = login("team_lead")
    other = Project.objects.exclude(network=demo.network).first()
    assert other is not None
    for forged in (
        {"scope": f"network-{demo.second_network.pk}"},
        {"scope": "org-999999"},
        {"project": other.pk},
        {"project": "x"},
    ):
        assert _start(client, _choice(demo, **forged), django_capture_on_commit_callbacks).status_code == 404
    assert _start(login("cm_a"), _choice(demo), django_capture_on_commit_callbacks).status_code == 404
    assert login("team_lead").get(reverse(START)).status_code == 405
    assert not Job.objects.exists()


def test_a_job_whose_choice_is_no_longer_allowed_fails_with_a_message(
    demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    params = {**_choice(demo), "scope": f"network-{demo.second_network.pk}", "language": "de"}
    with django_capture_on_commit_callbacks(execute=True):
        job = job_start(actor=demo.users["team_lead"], kind=EXPORT_KIND, params=params, title="Test")
    run_queued_jobs()
    job = refreshed(job)
    assert job.state == JobState.FAILED
    assert job.error_message == NO_ACCESS
    assert not job.result_path


def test_the_export_list_has_constant_queries(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_assert_max_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = login("team_lead")
    for output_format in ("csv", "csv-comma", "xlsx", "pdf"):
        _start(client, _choice(demo, format=output_format), django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:exports"))
    assert response.status_code == 200
    assert response.content.decode().count('class="job-status"') == 4


def test_the_export_buttons_carry_the_pages_choice(rf: Any, demo: DemoNetwork) -> None:
    from django.template.loader import render_to_string

    request = rf.get(
        "/reporting/x/", {"project": "7", "start": "2025-01-01", "end": "2025-06-30", "scope": "team-3"}
    )
    request.user = demo.users["team_lead"]
    html = render_to_string("reporting/_export_buttons.html", {"kind": "indicators"}, request=request)
    assert f'action="{reverse(START)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    for name, value in (
        ("kind", "indicators"),
        ("project", "7"),
        ("start", "2025-01-01"),
        ("scope", "team-3"),
    ):
        assert f'name="{name}" value="{value}"' in html
    # The format select has a label; every format is offered.
    assert '<label class="kern-label" for="export-indicators-format">' in html
    assert all(f'value="{value}"' in html for value in ("xlsx", "csv", "csv-comma", "pdf"))
    # A forged value in the address stays an escaped attribute value.
    request = rf.get("/reporting/x/", {"scope": '"><script>'})
    request.user = demo.users["team_lead"]
    assert "<script>" not in render_to_string(
        "reporting/_export_buttons.html", {"kind": "x"}, request=request
    )
