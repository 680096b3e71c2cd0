"""The words of the choice columns for the value mapping: a large file is listed by a
background job while the page waits, the most frequent words (capped per column, and said
so) are kept on the run for the mapping they were made for, only for choice columns, and
the value page then reads nothing from the file. Small files are listed in the request."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.jobs.models import Job
from bruecke.spreadsheets import services
from bruecke.spreadsheets.listing import MAX_WORDS
from bruecke.spreadsheets.models import ImportRun, RunState
from tests.clients import verified_client
from tests.jobs_helpers import refreshed, run_queued_jobs

pytestmark = pytest.mark.django_db

HEADER = ["Nr.", "Firma", "Branche", "Branche alt"]
ROWS = [
    ["1", "Café Rose", "Gastronomie", "C"],
    ["2", "Tischlerei Holz", "C", "Handwerk"],
    ["3", "Bäckerei Korn", "gastronomie", "C"],
    ["4", "Hotel Stern", "Hotellerie", "C"],
]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def po_a(persona: Callable[[str], User], settings: Any) -> Client:
    settings.IMPORT_LISTING_IN_REQUEST_BYTES = 0  # every file counts as large here
    return verified_client(persona("po_a"))


def uploaded(client: Client, user: User, rows: list[list[str]]) -> ImportRun:
    file = io.BytesIO(csv_bytes(rows))
    file.name = "arbeitgeber.csv"
    client.post(reverse("spreadsheets:import_upload"), {"entity": "employers", "file": file})
    return ImportRun.objects.filter(created_by=user).latest("created_at")


def columns_post(client: Client, run: ImportRun, capture: Any, sector: str = "Branche") -> Any:
    data = {"column_external_id": "Nr.", "column_name": "Firma", "column_sector": sector}
    with capture(execute=True):
        return client.post(reverse("spreadsheets:import_columns", args=[run.pk]), data)


def fresh(run: ImportRun) -> ImportRun:
    return ImportRun.objects.get(pk=run.pk)


def test_a_large_file_is_listed_by_a_job_while_the_page_waits(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    user = persona("po_a")
    run = uploaded(po_a, user, ROWS)
    response = columns_post(po_a, run, django_capture_on_commit_callbacks)
    values_url = reverse("spreadsheets:import_values", args=[run.pk])
    assert response["Location"] == values_url
    run = fresh(run)
    assert run.listing_job is not None and run.listing_job.kind == "spreadsheets.values"

    page = po_a.get(values_url)
    assert page.status_code == 200 and page.context["waiting"] is True
    assert 'hx-trigger="every 2s"' in page.content.decode() and "form" not in page.context
    assert po_a.post(values_url, {"value_sector_0": "I"}).status_code == 200  # nothing to post yet
    assert fresh(run).values == {} and fresh(run).state == RunState.UPLOADED

    assert run_queued_jobs() == 1
    run = fresh(run)
    assert run.value_listing["words"] == {
        "sector": {"words": [["Gastronomie", 2], ["Hotellerie", 1]], "capped": False}
    }
    assert run.row_count == 4
    # Only the value-mapped column: no name of the file, no other column's words.
    stored = json.dumps(run.value_listing, ensure_ascii=False)
    assert "Café" not in stored and "Handwerk" not in stored

    page = po_a.get(values_url)
    assert "hx-trigger" not in page.content.decode()
    assert page.context["form"].unknown == {"sector": ["Gastronomie", "Hotellerie"]}
    with django_capture_on_commit_callbacks(execute=True):
        response = po_a.post(values_url, {"value_sector_0": "I", "value_sector_1": "I"})
    assert response["Location"] == reverse("spreadsheets:import_run", args=[run.pk])
    assert fresh(run).state == RunState.CHECKING
    assert run_queued_jobs() == 1
    run = fresh(run)
    assert run.state == RunState.CHECKED and run.counts["rows"] == 4
    assert run.job is not None and refreshed(run.job).progress_total == 4


def test_the_value_page_reads_nothing_from_the_file_once_listed(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    run = uploaded(po_a, persona("po_a"), ROWS)
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    run_queued_jobs()
    # The stored file made unreadable: the words still come from the run.
    path = Path(django_settings.IMPORT_FILES_DIR) / fresh(run).stored_name
    path.write_bytes(b"not the file any more")
    page = po_a.get(reverse("spreadsheets:import_values", args=[run.pk]))
    assert page.status_code == 200
    assert page.context["form"].unknown == {"sector": ["Gastronomie", "Hotellerie"]}


def test_a_column_with_too_many_words_offers_the_most_frequent_and_says_so(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    rows = [[str(n), f"Firma {n}", f"Branche {n:03d}", "C"] for n in range(1, 251)]
    rows += [[str(1000 + n), f"Firma x{n}", f"Branche {n:03d}", "C"] for n in range(201, 251)]
    run = uploaded(po_a, persona("po_a"), rows)
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    run_queued_jobs()
    listed = fresh(run).value_listing["words"]["sector"]
    assert listed["capped"] is True and len(listed["words"]) == MAX_WORDS
    assert listed["words"][0] == ["Branche 201", 2] and ["Branche 250", 2] in listed["words"]
    page = po_a.get(reverse("spreadsheets:import_values", args=[run.pk]))
    assert len(page.context["form"].unknown["sector"]) == MAX_WORDS
    assert f"ihre {MAX_WORDS} häufigsten" in page.content.decode()


def test_a_changed_mapping_lists_again(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    run = uploaded(po_a, persona("po_a"), ROWS)
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    run_queued_jobs()
    first = fresh(run).listing_job
    columns_post(po_a, run, django_capture_on_commit_callbacks, sector="Branche alt")
    run = fresh(run)
    assert run.listing_job != first and run.value_listing == {}
    assert po_a.get(reverse("spreadsheets:import_values", args=[run.pk])).context["waiting"] is True
    assert run_queued_jobs() == 1
    assert fresh(run).value_listing["words"] == {"sector": {"words": [["Handwerk", 1]], "capped": False}}


def test_a_file_whose_words_are_all_known_goes_on_to_the_dry_run(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    run = uploaded(po_a, persona("po_a"), [["1", "Tischlerei Holz", "C", "C"]])
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    run_queued_jobs()
    url = reverse("spreadsheets:import_values", args=[run.pk])
    page = po_a.get(url)
    assert "kennt jedes Wort" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = po_a.post(url, {})
    assert fresh(run).state == RunState.CHECKING, (response.status_code, response.content.decode()[-3000:])


def test_a_small_file_is_listed_in_the_request(
    po_a: Client, persona: Callable[[str], User], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.IMPORT_LISTING_IN_REQUEST_BYTES = 1024 * 1024
    run = uploaded(po_a, persona("po_a"), ROWS)
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    assert fresh(run).listing_job is None and not Job.objects.filter(kind="spreadsheets.values").exists()
    page = po_a.get(reverse("spreadsheets:import_values", args=[run.pk]))
    assert page.context["form"].unknown == {"sector": ["Gastronomie", "Hotellerie"]}


def test_old_runs_lose_their_listing(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    run = uploaded(po_a, persona("po_a"), ROWS)
    columns_post(po_a, run, django_capture_on_commit_callbacks)
    run_queued_jobs()
    assert fresh(run).value_listing
    ImportRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(days=60))
    assert services.expire_runs() == 1
    assert fresh(run).value_listing == {}
