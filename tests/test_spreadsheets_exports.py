"""List exports: the participant list as CSV and XLSX with the page's filter and search,
the columns a persona may see, formula neutralisation, the audit event, the access
checks when the job runs and when the file is downloaded, and the query count."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.core.models import AuditAction, AuditEvent
from bruecke.jobs.models import Job
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Membership
from bruecke.participants.models import Gender, Participant, ResidenceStatusType
from bruecke.spreadsheets.exporting.registry import ExportContext, get_list, rows_of
from tests.jobs_helpers import refreshed, run_queued_jobs
from tests.spreadsheets_export_helpers import (
    TODAY,
    column,
    export_rows,
    finish,
    participant,
    start,
)

PAYLOAD = '=HYPERLINK("http://x","y")'
Capture = Callable[..., Any]


def test_csv_has_bom_semicolons_and_the_visible_participants(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    participant(demo, "Exportfrau", phone="0381 123")
    participant(demo, "Fremdpartner", partner="B", team="Greifswald")
    rows = export_rows(login("cm_a"), django_capture_on_commit_callbacks, "participants")
    names = column(rows, "Familienname")
    assert "Exportfrau" in names and "Fremdpartner" not in names
    assert "Telefon" in rows[0] and "0381 123" in column(rows, "Telefon")


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_the_page_filter_applies(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    output_format: str,
) -> None:
    participant(demo, "Gestattet", current_status=ResidenceStatusType.GESTATTUNG)
    participant(demo, "Geduldet", current_status=ResidenceStatusType.DULDUNG_60A)
    rows = export_rows(
        login("cm_a"),
        django_capture_on_commit_callbacks,
        "participants",
        f"status={ResidenceStatusType.GESTATTUNG}&page=3",
        output_format,
    )
    names = column(rows, "Familienname")
    assert "Gestattet" in names and "Geduldet" not in names


def test_the_search_behind_the_token_applies(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    participant(demo, "Suchtreffer")
    participant(demo, "Anderer")
    client = login("cm_a")
    response = client.post(reverse("participants:search"), {"q": "Suchtreffer"})
    query = response["Location"].split("?", 1)[1]
    rows = export_rows(client, django_capture_on_commit_callbacks, "participants", query)
    assert column(rows, "Familienname") == ["Suchtreffer"]
    job = Job.objects.filter(kind="spreadsheets.list_export").latest("created_at")
    assert "Suchtreffer" not in job.title and "Suchtreffer" not in job.result_filename


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_formula_payload_is_neutralised(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    django_capture_on_commit_callbacks: Capture,
    output_format: str,
) -> None:
    participant(demo, PAYLOAD, given_names="-1+2")
    rows = export_rows(login("cm_a"), django_capture_on_commit_callbacks, "participants", "", output_format)
    assert "'" + PAYLOAD in column(rows, "Familienname")
    assert PAYLOAD not in column(rows, "Familienname")
    assert "'-1+2" in column(rows, "Vornamen")


def test_xlsx_cells_are_text_never_formulas(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    import io

    from openpyxl import load_workbook

    participant(demo, PAYLOAD)
    client = login("cm_a")
    job = finish(start(client, django_capture_on_commit_callbacks, "participants", "", "xlsx"))
    sheet = load_workbook(io.BytesIO(job.result_file().read_bytes())).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_placement_officer_gets_no_contact_details(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    participant(demo, "Ohnetelefon", phone="0381 999", email="x@example.org")
    rows = export_rows(login("po_a"), django_capture_on_commit_callbacks, "participants")
    assert "Ohnetelefon" in column(rows, "Familienname")
    flat = ";".join(str(cell) for row in rows for cell in row)
    assert "Telefon" not in rows[0] and "0381 999" not in flat and "x@example.org" not in flat


def test_other_partner_sees_nothing_of_partner_a(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    participant(demo, "Nurbeia")
    for persona in ("cm_b", "user_c"):
        rows = export_rows(login(persona), django_capture_on_commit_callbacks, "participants")
        assert "Nurbeia" not in column(rows, "Familienname")


def test_export_is_audited_without_personal_data(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    participant(demo, "Auditfall")
    job = finish(start(login("cm_a"), django_capture_on_commit_callbacks, "participants"))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_id=str(job.pk))
    assert event.actor == demo.users["cm_a"]
    assert event.object_type == "participants.participant"
    assert event.organisation == demo.partners["A"]
    assert job.result_filename.startswith("teilnehmende_") and job.result_filename.endswith(".csv")


def test_who_may_not_see_the_list_gets_404(
    login: Callable[[str], Client], django_capture_on_commit_callbacks: Capture
) -> None:
    url = reverse("spreadsheets:export_start", args=["participants"])
    with django_capture_on_commit_callbacks(execute=True):
        assert login("coordinator").post(url, {"format": "csv"}).status_code == 404
        assert login("cm_a").post(reverse("spreadsheets:export_start", args=["nope"]), {}).status_code == 404
        assert login("cm_a").get(url).status_code == 405
    assert not Job.objects.filter(kind="spreadsheets.list_export").exists()


def test_a_bad_format_is_a_message_not_an_error(login: Callable[[str], Client]) -> None:
    url = reverse("spreadsheets:export_start", args=["participants"])
    response = login("cm_a").post(url, {"format": "exe"}, follow=True)
    assert response.status_code == 200
    assert "Bitte wählen Sie CSV oder XLSX" in response.content.decode()


def test_access_is_checked_again_when_the_job_runs_and_at_download(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    client = login("cm_a")
    job = start(client, django_capture_on_commit_callbacks, "participants")
    Membership.objects.filter(user=demo.users["cm_a"]).update(ended_on=TODAY)
    run_queued_jobs()
    assert refreshed(job).state == "failed"
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT, object_id=str(job.pk)).exists()


def test_download_needs_the_list_still_visible(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    client = login("cm_a")
    job = finish(start(client, django_capture_on_commit_callbacks, "participants"))
    Membership.objects.filter(user=demo.users["cm_a"]).update(ended_on=TODAY)
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_export_list_page_shows_own_exports_only(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Capture
) -> None:
    finish(start(login("cm_a"), django_capture_on_commit_callbacks, "participants", "status=duldung_60a"))
    page = login("cm_a").get(reverse("spreadsheets:exports")).content.decode()
    assert "Listenexport: Teilnehmende (CSV), gefiltert" in page
    assert login("team_lead").get(reverse("spreadsheets:exports")).context["page"].paginator.count == 0


def test_list_page_carries_its_query_into_the_export_form(login: Callable[[str], Client]) -> None:
    page = (
        login("cm_a")
        .get(reverse("participants:list"), {"status": "duldung_60a", "page": "2"})
        .content.decode()
    )
    assert 'name="query" value="status=duldung_60a"' in page
    assert "Teilnehmende exportieren" in page


@pytest.mark.parametrize("output_format", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_the_rows(
    demo: DemoNetwork, count_queries: Callable[..., Any], output_format: str
) -> None:
    export = get_list("participants")
    assert export is not None
    user = demo.users["cm_a"]
    counts = []
    for batch in (3, 120):
        Participant.objects.bulk_create(participant_rows(demo, batch))
        context = ExportContext(user=user, today=TODAY)
        columns = export.columns_for(user, include_notes=False)
        with count_queries() as ctx:
            rows = list(rows_of(export.rows(user, {}, TODAY).iterator(chunk_size=50), columns, context))
        assert len(rows) >= batch
        counts.append(ctx.count)
    assert counts[0] + 2 >= counts[1]  # one more chunk of 50 rows, never one query per row


def participant_rows(demo: DemoNetwork, count: int) -> list[Participant]:
    return [
        Participant(
            organisation=demo.partners["A"],
            team=demo.teams["Rostock"],
            given_names=f"Viele{index}",
            family_name="Massentest",
            birth_year=1990,
            gender=Gender.MALE,
            nationality="SY",
            entry_date=TODAY,
        )
        for index in range(count)
    ]
