"""Helpers of the list-export tests: start an export through the page's form, run the job
with the real worker, read the file back (CSV as rows, XLSX with openpyxl)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from bruecke.jobs.models import Job
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Gender, Participant
from bruecke.participants.services import rebuild_name_keys
from bruecke.spreadsheets.exporting.start import KIND
from tests.jobs_helpers import refreshed, run_queued_jobs

TODAY = datetime.date.today()
Rows = list[list[Any]]


def participant(
    demo: DemoNetwork, family_name: str, partner: str = "A", team: str = "Rostock", **fields: Any
) -> Participant:
    created = Participant.objects.create(
        organisation=demo.partners[partner],
        team=demo.teams[team],
        given_names=fields.pop("given_names", "Test"),
        family_name=family_name,
        birth_year=1990,
        gender=Gender.FEMALE,
        nationality="SY",
        entry_date=TODAY - datetime.timedelta(days=400),
        **fields,
    )
    rebuild_name_keys(created)  # what the intake service does: the search finds the name
    return created


def start(
    client: Client,
    capture: Callable[..., Any],
    key: str,
    query: str = "",
    output_format: str = "csv",
    notes: bool = False,
) -> Job:
    data = {"query": query, "format": output_format}
    if notes:
        data["include_notes"] = "1"
    with capture(execute=True):
        response = client.post(reverse("spreadsheets:export_start", args=[key]), data)
    assert response.status_code == 302, response.status_code
    job = Job.objects.filter(kind=KIND).order_by("-created_at").first()
    assert job is not None
    return job


def finish(job: Job) -> Job:
    run_queued_jobs()
    done = refreshed(job)
    assert done.state == "done", done.error_message
    return done


def csv_rows(content: bytes) -> Rows:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(content: bytes) -> Rows:
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def export_rows(
    client: Client,
    capture: Callable[..., Any],
    key: str,
    query: str = "",
    output_format: str = "csv",
    notes: bool = False,
) -> Rows:
    job = finish(start(client, capture, key, query, output_format, notes))
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    return csv_rows(content) if output_format == "csv" else xlsx_rows(content)


def column(rows: Rows, label: str) -> list[Any]:
    index = rows[0].index(label)
    return [row[index] for row in rows[1:]]
