"""The import flow through its pages: upload (stored encrypted), column and value
mapping, the dry run and the import as real background jobs, the results, and who may
see a run."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.placement.models import Employer
from bruecke.spreadsheets.models import ImportMapping, ImportRow, ImportRun, RunState
from tests.clients import verified_client
from tests.jobs_helpers import refreshed, run_queued_jobs

pytestmark = pytest.mark.django_db

HEADER = ["Nr.", "Firma", "Branche"]
GOOD = [HEADER, ["1", "Café Rose", "Gastronomie"], ["2", "Tischlerei Holz", "C"]]
BAD = [*GOOD, ["3", "", "C"]]


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def upload(client: Client, rows: list[list[str]], name: str = "arbeitgeber.csv", **extra: Any) -> Any:
    file = io.BytesIO(csv_bytes(rows))
    file.name = name
    return client.post(reverse("spreadsheets:import_upload"), {"entity": "employers", "file": file, **extra})


def latest_run(user: User) -> ImportRun:
    return ImportRun.objects.filter(created_by=user).latest("created_at")


def columns_post(client: Client, run: ImportRun, **override: str) -> Any:
    data = {"column_external_id": "Nr.", "column_name": "Firma", "column_sector": "Branche", **override}
    return client.post(reverse("spreadsheets:import_columns", args=[run.pk]), data)


@pytest.fixture
def po_a(persona: Callable[[str], User]) -> Client:
    return verified_client(persona("po_a"))


def test_the_upload_stores_the_file_encrypted_and_reads_only_its_headers(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    response = upload(po_a, GOOD)
    run = latest_run(persona("po_a"))
    assert response.status_code == 302
    assert response["Location"] == reverse("spreadsheets:import_columns", args=[run.pk])
    assert run.headers == HEADER and run.language == "de" and run.organisation.short_name
    assert run.file_size == len(csv_bytes(GOOD)) and len(run.file_sha256) == 64
    stored = Path(settings.IMPORT_FILES_DIR) / run.stored_name
    assert b"Tischlerei" not in stored.read_bytes() and b"Nr." not in stored.read_bytes()
    # The columns are suggested from the headers.
    page = po_a.get(response["Location"])
    assert page.status_code == 200
    assert page.context["form"]["column_name"].initial == "Firma"
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, object_id=str(run.pk)).exists()


def test_a_file_that_is_no_spreadsheet_is_an_error_next_to_the_file_field(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    response = upload(po_a, GOOD, name="lebenslauf.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["Bitte laden Sie eine XLSX- oder CSV-Datei hoch."]
    assert not ImportRun.objects.filter(file_name="lebenslauf.pdf").exists()
    assert list(Path(settings.IMPORT_FILES_DIR).glob("*.part")) == []


def test_the_column_mapping_needs_required_columns_once_each(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    upload(po_a, GOOD)
    run = latest_run(persona("po_a"))
    response = columns_post(po_a, run, column_name="Nr.")
    errors = response.context["form"].errors
    assert "bereits" in errors["column_name"][0]
    response = columns_post(po_a, run, column_sector="")
    assert response.context["form"].errors["column_sector"]
    assert refreshed_run(run).state == RunState.UPLOADED


def refreshed_run(run: ImportRun) -> ImportRun:
    return ImportRun.objects.get(pk=run.pk)


def test_the_whole_flow_with_value_mapping_dry_run_corrected_file_and_import(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    user = persona("po_a")
    before = Employer.objects.count()
    upload(po_a, BAD)
    run = latest_run(user)
    response = columns_post(po_a, run, save_as="Arbeitgeberliste Test")
    assert response["Location"] == reverse("spreadsheets:import_values", args=[run.pk])
    mapping = ImportMapping.objects.get(name="Arbeitgeberliste Test")
    assert mapping.columns == {"external_id": "Nr.", "name": "Firma", "sector": "Branche"}

    page = po_a.get(response["Location"])
    assert "„Gastronomie“ in Spalte „Branche“ bedeutet" in page.content.decode()
    assert list(page.context["form"].unknown) == ["sector"]
    with django_capture_on_commit_callbacks(execute=True):
        response = po_a.post(
            reverse("spreadsheets:import_values", args=[run.pk]),
            {"value_sector_0": "I", "save_to_mapping": "on"},
        )
    assert response["Location"] == reverse("spreadsheets:import_run", args=[run.pk])
    assert ImportMapping.objects.get(pk=mapping.pk).values == {"sector": {"gastronomie": "I"}}
    assert refreshed_run(run).state == RunState.CHECKING
    assert run_queued_jobs() == 1
    run = refreshed_run(run)
    assert run.state == RunState.HAS_ERRORS, refreshed(run.job).error_message if run.job else None
    assert run.counts == {"rows": 3, "created": 2, "updated": 0, "unchanged": 0, "errors": 1}
    assert Employer.objects.count() == before
    error_row = ImportRow.objects.get(run=run, outcome="error")
    assert (error_row.row_number, error_row.errors[0]["column"]) == (4, "Firma")
    page = po_a.get(reverse("spreadsheets:import_run", args=[run.pk]) + "?errors=1")
    assert [r.row_number for r in page.context["page"]] == [4]
    assert not page.context["may_import"]
    # The import is refused while the dry run has errors.
    po_a.post(reverse("spreadsheets:import_start", args=[run.pk]))
    assert refreshed_run(run).state == RunState.HAS_ERRORS

    # The corrected file keeps data type, organisation and mapping: no value page again.
    file = io.BytesIO(csv_bytes(GOOD))
    file.name = "arbeitgeber-korrigiert.csv"
    response = po_a.post(reverse("spreadsheets:import_replace", args=[run.pk]), {"file": file})
    fixed = latest_run(user)
    assert fixed.pk != run.pk and fixed.mapping == mapping
    assert fixed.values == {"sector": {"gastronomie": "I"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = columns_post(po_a, fixed)
    assert response["Location"] == reverse("spreadsheets:import_run", args=[fixed.pk])
    run_queued_jobs()
    fixed = refreshed_run(fixed)
    assert fixed.state == RunState.CHECKED
    assert po_a.get(reverse("spreadsheets:import_run", args=[fixed.pk])).context["may_import"]

    with django_capture_on_commit_callbacks(execute=True):
        po_a.post(reverse("spreadsheets:import_start", args=[fixed.pk]))
    stored = Path(settings.IMPORT_FILES_DIR) / fixed.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        assert run_queued_jobs() == 1
    fixed = refreshed_run(fixed)
    assert fixed.state == RunState.IMPORTED and fixed.counts["created"] == 2
    assert Employer.objects.count() == before + 2
    assert fixed.stored_name == "" and not stored.exists()
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, object_id=str(fixed.pk))
    assert event.actor == user and "counts" in event.changed_fields
    page = po_a.get(reverse("spreadsheets:import_run", args=[fixed.pk]))
    first_row = ImportRow.objects.filter(run=fixed).order_by("row_number")[0]
    links = [row.link for row in page.context["page"]]
    assert links[0] == reverse("placement:employer_detail", args=[first_row.object_id])
    # An imported run is done: no new mapping, no second dry run.
    columns_url = reverse("spreadsheets:import_columns", args=[fixed.pk])
    assert po_a.get(columns_url)["Location"] == reverse("spreadsheets:import_run", args=[fixed.pk])
    po_a.post(reverse("spreadsheets:import_check", args=[fixed.pk]))
    assert (
        refreshed_run(fixed).state == RunState.IMPORTED and ImportRow.objects.filter(run=fixed).count() == 2
    )
    # The job's file is the row report: BOM, `;`.
    assert fixed.job is not None
    report = refreshed(fixed.job).result_file().read_bytes().decode("utf-8")
    assert report.startswith("\ufeffZeile;Externe ID;Ergebnis;Spalte;Meldung")
    assert "3;2;angelegt;;" in report.replace("\r\n", "\n")


def test_the_row_report_neutralises_formulas(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    # "-1+2" passes the import's formula rule (it is no function call) but a spreadsheet
    # would compute it: the report writes it as text.
    upload(po_a, [HEADER, ["-1+2", "", "C"]])
    run = latest_run(persona("po_a"))
    with django_capture_on_commit_callbacks(execute=True):
        columns_post(po_a, run)
    run_queued_jobs()
    run = refreshed_run(run)
    assert run.state == RunState.HAS_ERRORS and run.job is not None
    report = refreshed(run.job).result_file().read_bytes().decode("utf-8")
    assert "'-1+2" in report and ";-1+2" not in report


@pytest.mark.parametrize("other", ["team_lead", "cm_b", "user_c", "cm_a"])
def test_a_run_is_seen_only_by_its_uploader(po_a: Client, persona: Callable[[str], User], other: str) -> None:
    upload(po_a, GOOD)
    run = latest_run(persona("po_a"))
    client = verified_client(persona(other))
    for name in ("import_run", "import_columns", "import_values", "import_replace"):
        assert client.get(reverse(f"spreadsheets:{name}", args=[run.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:import_check", args=[run.pk])).status_code == 404


def test_the_job_refuses_a_user_who_lost_the_permission(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    from bruecke.network.models import Membership

    user = persona("po_a")
    upload(po_a, GOOD)
    run = latest_run(user)
    with django_capture_on_commit_callbacks(execute=True):
        columns_post(po_a, run)
        po_a.post(reverse("spreadsheets:import_values", args=[run.pk]), {"value_sector_0": "I"})
    Membership.objects.filter(user=user).update(role="data_protection_officer")
    run_queued_jobs()
    run = refreshed_run(run)
    assert run.job is not None and refreshed(run.job).state == "failed"
    assert "no longer import" in refreshed(run.job).error_message
    assert run.state == RunState.CHECKING and not ImportRow.objects.filter(run=run).exists()


def test_my_imports_lists_own_runs_with_constant_queries(
    po_a: Client, persona: Callable[[str], User]
) -> None:
    existing = ImportRun.objects.filter(created_by=persona("po_a")).count()
    upload(po_a, GOOD)
    url = reverse("spreadsheets:import_list")
    with CaptureQueriesContext(connection) as first:
        po_a.get(url)
    for _ in range(4):
        upload(po_a, GOOD)
    with CaptureQueriesContext(connection) as second:
        response = po_a.get(url)
    assert len(second) == len(first) <= 12
    assert response.context["page"].paginator.count == existing + 5
    other = verified_client(persona("team_lead")).get(url)
    assert other.context["page"].paginator.count == 0


def test_old_runs_lose_their_file_and_rows(po_a: Client, persona: Callable[[str], User]) -> None:
    import datetime

    from django.utils import timezone

    from bruecke.jobs.periodic import periodic

    upload(po_a, GOOD)
    run = latest_run(persona("po_a"))
    stored = Path(settings.IMPORT_FILES_DIR) / run.stored_name
    ImportRow.objects.create(run=run, row_number=2, outcome="created")
    ImportRun.objects.exclude(pk=run.pk).delete()  # only this run counts below
    assert periodic(timezone.now())["import_runs_expired"] == 0
    later = timezone.now() + datetime.timedelta(days=settings.IMPORT_RUN_DAYS + 1)
    assert periodic(later)["import_runs_expired"] == 1
    run = refreshed_run(run)
    assert run.stored_name == "" and not stored.exists() and not run.rows.exists()
    assert run.file_sha256  # the run itself stays


def test_file_encryption_binds_the_context_and_detects_tampering() -> None:
    from bruecke.core import crypto

    blob = crypto.encrypt_bytes(b"Nr.;Firma", context="a")
    assert crypto.decrypt_bytes(blob, context="a") == b"Nr.;Firma"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(blob, context="b")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(blob[:-1] + bytes([blob[-1] ^ 1]), context="a")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_bytes(b"plain text", context="a")


def test_the_demo_has_a_saved_mapping_and_a_finished_import(demo: Any) -> None:
    from bruecke.spreadsheets.demo import MAPPING_NAME, seed_spreadsheets

    seed_spreadsheets(demo)
    seed_spreadsheets(demo)  # idempotent
    run = ImportRun.objects.get(created_by=demo.users["po_a"], file_name="arbeitgeberliste-2024.csv")
    assert run.state == RunState.IMPORTED and run.counts["created"] == 3 and run.stored_name == ""
    assert run.mapping is not None and run.mapping.name == MAPPING_NAME
    assert Employer.objects.filter(name="Dachdeckerei Peters", sector="F").count() == 1


def test_a_file_above_the_limit_is_refused_next_to_the_file_field(po_a: Client, settings: Any) -> None:
    settings.IMPORT_MAX_FILE_SIZE = 20
    response = upload(po_a, GOOD, name="gross.csv")
    assert response.status_code == 200
    assert "zu groß" in response.context["form"].errors["file"][0]
    assert not ImportRun.objects.filter(file_name="gross.csv").exists()


def test_users_who_may_import_nothing_get_404(persona: Callable[[str], User]) -> None:
    client = verified_client(persona("dpo"))
    assert client.get(reverse("spreadsheets:import_upload")).status_code == 404
    assert client.get(reverse("spreadsheets:import_list")).status_code == 404


def test_a_broken_row_deep_in_the_file_fails_the_dry_run_with_its_row_and_imports_nothing(
    po_a: Client, persona: Callable[[str], User], django_capture_on_commit_callbacks: Any
) -> None:
    """The headers read fine at upload; the cell over Excel's limit is found only while the
    dry run streams the rows: the job fails with the reader's message, no server error."""
    user = persona("po_a")
    filler = [[str(n), f"Firma {n}", "C"] for n in range(3, 40)]
    response = upload(po_a, [*GOOD, *filler, ["40", "x" * 40_000, "C"]])
    assert response.status_code == 302  # the header rows are fine
    run = latest_run(user)
    response = columns_post(po_a, run)
    assert response["Location"] == reverse("spreadsheets:import_run", args=[run.pk])
    page = po_a.get(response["Location"])
    assert any("Zeile 41, Spalte B" in str(m) for m in page.context["messages"])
    # Without value mapping, the dry run job meets the row and fails with the same words.
    ImportRun.objects.filter(pk=run.pk).update(values={"sector": {"gastronomie": "I"}})
    with django_capture_on_commit_callbacks(execute=True):
        po_a.post(reverse("spreadsheets:import_values", args=[run.pk]), {})
        from bruecke.spreadsheets import services

        services.run_check_start(actor=user, run=refreshed_run(run))
    run_queued_jobs()
    run = refreshed_run(run)
    assert run.job is not None and refreshed(run.job).state == "failed"
    assert "Zeile 41" in refreshed(run.job).error_message
    assert not ImportRow.objects.filter(run=run).exists()
    assert po_a.get(reverse("spreadsheets:import_run", args=[run.pk])).status_code == 200
