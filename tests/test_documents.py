"""Case documents: uploads checked by content, protected storage, audited download, deletion."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from bruecke.cases.demo import DEMO_DOCUMENT
from bruecke.cases.models import Case, CaseDocument, CaseEvent, CaseStatus, Task, TaskSource
from bruecke.cases.services.documents import document_update, document_upload, reminder_due_on
from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, PERSONAS
from tests.clients import verified_client
from tests.expectations_cases import _case

TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
READERS = {"cm_a", "po_a", "team_lead"}


def _form(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "doc_type": "permit",
        "title": "Aufenthaltserlaubnis",
        "issued_on": (TODAY - datetime.timedelta(days=30)).strftime("%d.%m.%Y"),
        "valid_until": "",
        "scan_file": SimpleUploadedFile("aufenthalt.pdf", DEMO_DOCUMENT, content_type="application/pdf"),
    }
    return {**data, **overrides}


def _upload(client: Client, case: Case, data: dict[str, Any]) -> Any:
    return client.post(reverse("cases:document_create", args=[case.pk]), data)


def _stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return {p for p in root.rglob("*") if p.is_file()}


def _snapshot() -> tuple[int, int, int, int]:
    return (
        CaseDocument.objects.count(),
        AuditEvent.objects.exclude(action="read").count(),
        CaseEvent.objects.count(),
        Task.objects.count(),
    )


def _only_new(case: Case) -> CaseDocument:
    return case.documents.exclude(title__startswith="Berufsabschluss").get()


def test_upload_stores_a_random_name_outside_the_web_root(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    response = _upload(login("cm_a"), case, _form())
    assert response.status_code == 302
    document = _only_new(case)
    assert document.organisation == case.organisation and document.uploaded_by == demo.users["cm_a"]
    name = document.file.name
    assert name.startswith(f"case-documents/{case.organisation_id}/") and name.endswith(".pdf")
    assert "aufenthalt" not in name
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    web_roots = [
        Path(settings.STATIC_ROOT),
        *[Path(str(d[1] if isinstance(d, tuple) else d)) for d in settings.STATICFILES_DIRS],
    ]
    assert not any(path.is_relative_to(root.resolve()) for root in web_roots)
    assert path.read_bytes() == DEMO_DOCUMENT
    assert login("cm_a").get(f"/media/{name}").status_code == 404
    assert login("cm_a").get(f"/static/{name}").status_code == 404
    created = AuditEvent.objects.get(
        action="create", object_type="cases.casedocument", object_id=str(document.pk)
    )
    assert created.organisation == case.organisation
    event = CaseEvent.objects.filter(case=case, kind="document").latest("id")
    assert event.details == {"type": "permit", "action": "uploaded"}  # never the title or file name
    assert not Task.objects.filter(source_id=str(document.pk), source=TaskSource.DOCUMENT_EXPIRY).exists()


def test_the_type_is_decided_by_content_not_by_the_name(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    upload = SimpleUploadedFile("zeugnis.pdf", PNG, content_type="application/pdf")
    assert _upload(login("cm_a"), case, _form(scan_file=upload)).status_code == 302
    document = _only_new(case)
    assert document.file.name.endswith(".png")
    response = login("po_a").get(reverse("cases:document_download", args=[document.pk]))
    assert response["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("zeugnis.pdf", b"just some garbage bytes, no PDF"),
        ("zeugnis.pdf", b"<html><script>alert(1)</script></html>"),
        ("zeugnis.png", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>"),
        ("zeugnis.pdf", b"MZ\x90\x00 executable"),
        ("zeugnis.pdf", b""),
        ("zeugnis.pdf", b"%PD"),
        ("zeugnis.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"),
        ("zeugnis.pdf", DEMO_DOCUMENT.replace(b"/Catalog", b"/Catalog/OpenAction<</S/JavaScript/JS(1)>>")),
    ],
)
def test_uploads_that_lie_about_their_type_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork, name: str, content: bytes
) -> None:
    case = _case(demo)
    before, files = _snapshot(), _stored_files()
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _upload(login("cm_a"), case, _form(scan_file=upload))
    assert response.status_code == 400
    assert "scan_file" in response.context["form"].errors
    assert 'id="id_scan_file-errors"' in response.content.decode()
    assert _snapshot() == before and _stored_files() == files  # no record, no orphan file


@override_settings(UPLOAD_MAX_BYTES=1_000)
def test_oversize_uploads_are_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    case = _case(demo)
    before, files = _snapshot(), _stored_files()
    upload = SimpleUploadedFile("gross.pdf", b"%PDF-1.4\n" + b"0" * 2_000, content_type="application/pdf")
    response = _upload(login("cm_a"), case, _form(scan_file=upload))
    assert response.status_code == 400 and "scan_file" in response.context["form"].errors
    assert _snapshot() == before and _stored_files() == files


def test_a_missing_file_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    data = _form()
    del data["scan_file"]
    response = _upload(login("cm_a"), _case(demo), data)
    assert response.status_code == 400 and "scan_file" in response.context["form"].errors


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"issued_on": (TODAY + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}, "issued_on"),
        (
            {
                "issued_on": TODAY.strftime("%d.%m.%Y"),
                "valid_until": (TODAY - datetime.timedelta(days=1)).strftime("%d.%m.%Y"),
            },
            "valid_until",
        ),
        ({"valid_until": "31.02.2030"}, "valid_until"),
        ({"doc_type": "passport"}, "doc_type"),
        ({"title": ""}, "title"),
        ({"title": "Scan\x00"}, "title"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_document_data_saves_nothing_and_leaves_no_file(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    case = _case(demo)
    before, files = _snapshot(), _stored_files()
    response = _upload(login("cm_a"), case, _form(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert _snapshot() == before and _stored_files() == files


def test_the_service_checks_before_it_writes_a_file(demo: DemoNetwork) -> None:
    """Called directly (not through the form), bad data still leaves no file behind."""
    case = _case(demo)
    files = _stored_files()
    document = CaseDocument(case=case, doc_type="cv", title="x" * 300)
    with pytest.raises(ValidationError, match="title"):
        document_upload(
            actor=demo.users["cm_a"], document=document, upload=SimpleUploadedFile("a.pdf", DEMO_DOCUMENT)
        )
    with pytest.raises(ValidationError, match="PDF"):
        document_upload(
            actor=demo.users["cm_a"],
            document=CaseDocument(case=case, doc_type="cv", title="CV"),
            upload=SimpleUploadedFile("a.pdf", b"<html>"),
        )
    assert _stored_files() == files


def test_no_upload_to_a_closed_case(demo: DemoNetwork) -> None:
    case = _case(demo)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    case.refresh_from_db()
    files = _stored_files()
    with pytest.raises(ValidationError):
        document_upload(
            actor=demo.users["cm_a"],
            document=CaseDocument(case=case, doc_type="cv", title="CV"),
            upload=SimpleUploadedFile("a.pdf", DEMO_DOCUMENT),
        )
    assert _stored_files() == files


def test_an_expiry_date_creates_a_reminder_for_the_case_manager(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    valid_until = TODAY + datetime.timedelta(days=200)
    response = _upload(login("team_lead"), case, _form(valid_until=valid_until.strftime("%d.%m.%Y")))
    assert response.status_code == 302
    document = _only_new(case)
    task = Task.objects.get(source_type="cases.casedocument", source_id=str(document.pk))
    assert task.source == TaskSource.DOCUMENT_EXPIRY and task.case == case
    assert task.assignee == case.case_manager  # not the uploader
    assert task.due_on == valid_until - datetime.timedelta(days=42)
    assert task.organisation == case.organisation and task.done_on is None


def test_the_reminder_is_never_due_in_the_past() -> None:
    assert reminder_due_on(TODAY + datetime.timedelta(days=10)) == TODAY
    assert reminder_due_on(TODAY - datetime.timedelta(days=10)) == TODAY
    with override_settings(DOCUMENT_REMINDER_DAYS=7):
        assert reminder_due_on(TODAY + datetime.timedelta(days=30)) == TODAY + datetime.timedelta(days=23)


def _demo_document(demo: DemoNetwork) -> CaseDocument:
    return CaseDocument.objects.filter(case=_case(demo)).earliest("id")


def test_download_is_an_audited_attachment_of_the_real_type(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    document = _demo_document(demo)
    before = AuditEvent.objects.filter(action="read", object_type="cases.casedocument").count()
    response = login("po_a").get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and f"certificate-{document.pk}.pdf" in disposition
    assert b"".join(response.streaming_content) == DEMO_DOCUMENT  # type: ignore[attr-defined]
    events = AuditEvent.objects.filter(
        action="read", object_type="cases.casedocument", object_id=str(document.pk)
    )
    assert events.count() == before + 1
    assert events.latest("id").actor == demo.users["po_a"]


@pytest.mark.parametrize("key", [k for k in PERSONAS if k not in READERS])
def test_download_outside_scope_is_404(key: str, demo: DemoNetwork, persona: Callable[[str], Any]) -> None:
    document = _demo_document(demo)
    client = verified_client(persona(key)) if key != ANON else Client()
    before = AuditEvent.objects.filter(action="read", object_type="cases.casedocument").count()
    response = client.get(reverse("cases:document_download", args=[document.pk]))
    assert response.status_code == (302 if key == ANON else 404)
    assert DEMO_DOCUMENT not in response.content
    assert AuditEvent.objects.filter(action="read", object_type="cases.casedocument").count() == before


def test_delete_asks_first_then_removes_record_reminder_and_file(
    login: Callable[[str], Client], demo: DemoNetwork, django_capture_on_commit_callbacks: Any
) -> None:
    case = _case(demo)
    valid_until = (TODAY + datetime.timedelta(days=100)).strftime("%d.%m.%Y")
    assert _upload(login("cm_a"), case, _form(valid_until=valid_until)).status_code == 302
    document = _only_new(case)
    path = Path(document.file.path)
    url = reverse("cases:document_delete", args=[document.pk])
    client = login("cm_a")
    assert client.get(url).status_code == 200  # the confirmation page deletes nothing
    assert CaseDocument.objects.filter(pk=document.pk).exists() and path.exists()
    Case.objects.filter(pk=case.pk).update(placement_officer=None)
    assert login("po_a").post(url).status_code == 404  # readers (not assigned) may not delete
    assert CaseDocument.objects.filter(pk=document.pk).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(url)
        assert path.exists()  # the file goes only after the commit
    assert response.status_code == 302 and callbacks
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    assert not Task.objects.filter(source_type="cases.casedocument", source_id=str(document.pk)).exists()
    deleted = AuditEvent.objects.get(
        action="delete", object_type="cases.casedocument", object_id=str(document.pk)
    )
    assert deleted.actor == demo.users["cm_a"] and deleted.organisation == case.organisation
    event = CaseEvent.objects.filter(case=case, kind="document").latest("id")
    assert event.details == {"type": "permit", "action": "deleted"}


def test_documents_section_lists_and_queries_do_not_grow(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    case = _case(demo)
    client = login("cm_a")
    template = _demo_document(demo)
    counts = []
    for batch in (2, 40):
        CaseDocument.objects.bulk_create(
            CaseDocument(
                case=case,
                organisation=case.organisation,
                doc_type="cv",
                title="Lebenslauf",
                file=template.file.name,
                uploaded_by=demo.users["cm_a"],
            )
            for _ in range(batch)
        )
        with count_queries() as ctx:
            response = client.get(reverse("cases:detail", args=[case.pk]) + "?section=documents")
        assert response.status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]
    content = response.content.decode()
    assert reverse("cases:document_download", args=[template.pk]) not in content  # page 1 holds the newest
    assert "?section=documents&amp;documents=2" in content
    page_two = client.get(
        reverse("cases:detail", args=[case.pk]) + "?section=documents&documents=3"
    ).content.decode()
    assert reverse("cases:document_download", args=[template.pk]) in page_two


def test_readers_see_the_list_without_upload_or_delete(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    case = _case(demo)
    document = _demo_document(demo)
    Case.objects.filter(pk=case.pk).update(placement_officer=None)  # po_a: only a reader now
    content = (
        login("po_a").get(reverse("cases:detail", args=[case.pk]) + "?section=documents").content.decode()
    )
    assert reverse("cases:document_download", args=[document.pk]) in content
    assert reverse("cases:document_delete", args=[document.pk]) not in content
    assert reverse("cases:document_create", args=[case.pk]) not in content


def test_demo_seeding_is_idempotent(demo: DemoNetwork) -> None:
    from bruecke.cases.demo import seed_cases

    case = _case(demo)
    before = (CaseDocument.objects.filter(case=case).count(), _stored_files(), case.events.count())
    seed_cases(demo)
    assert (CaseDocument.objects.filter(case=case).count(), _stored_files(), case.events.count()) == before
    assert before[0] == 1 and hasattr(case, "profile")


# --- changing the details -----------------------------------------------------------------


def _edit(client: Client, document: CaseDocument, **overrides: Any) -> Any:
    data = {
        "doc_type": document.doc_type,
        "title": document.title,
        "issued_on": document.issued_on.strftime("%d.%m.%Y") if document.issued_on else "",
        "valid_until": document.valid_until.strftime("%d.%m.%Y") if document.valid_until else "",
        "version": document.version,
        **overrides,
    }
    return client.post(reverse("cases:document_edit", args=[document.pk]), data)


def test_a_new_expiry_date_moves_the_reminder_and_a_removed_one_drops_it(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    document = _demo_document(demo)
    file_name = document.file.name
    client = login("cm_a")
    valid_until = TODAY + datetime.timedelta(days=300)
    response = _edit(
        client, document, title="Zeugnis (übersetzt)", valid_until=valid_until.strftime("%d.%m.%Y")
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert (document.title, document.valid_until, document.file.name, document.version) == (
        "Zeugnis (übersetzt)",
        valid_until,
        file_name,
        2,
    )
    task = Task.objects.get(source_type="cases.casedocument", source_id=str(document.pk))
    assert task.due_on == valid_until - datetime.timedelta(days=42) and "Zeugnis (übersetzt)" in task.title
    event = CaseEvent.objects.filter(object_id=str(document.pk)).latest("id")
    assert event.details == {"type": document.doc_type, "action": "changed"}  # never the title
    audit = AuditEvent.objects.filter(action="update", object_type="cases.casedocument").latest("id")
    assert set(audit.changed_fields) == {"title", "valid_until"}

    assert _edit(client, document, valid_until="").status_code == 302
    assert not Task.objects.filter(source_type="cases.casedocument", source_id=str(document.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"doc_type": "passport"}, "doc_type"),
        ({"issued_on": (TODAY + datetime.timedelta(days=1)).strftime("%d.%m.%Y")}, "issued_on"),
        ({"issued_on": "01.06.2024", "valid_until": "01.01.2024"}, "valid_until"),
        ({"valid_until": "32.13.2024"}, "valid_until"),
    ],
)
def test_bad_detail_changes_save_nothing(
    overrides: dict[str, Any], field: str, login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    document = _demo_document(demo)
    before = _snapshot()
    response = _edit(login("cm_a"), document, **overrides)
    assert response.status_code == 400 and f'id="id_{field}-errors"' in response.content.decode()
    assert _snapshot() == before


def test_a_stale_document_form_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    document = _demo_document(demo)
    loaded = document.version
    assert _edit(login("team_lead"), document, title="Erste Änderung").status_code == 302
    response = _edit(login("cm_a"), document, title="Zweite Änderung", version=loaded)
    assert response.status_code == 400
    document.refresh_from_db()
    assert document.title == "Erste Änderung"


def test_readers_cannot_change_details(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    document = _demo_document(demo)
    Case.objects.filter(pk=document.case_id).update(placement_officer=None)  # po_a: only a reader now
    assert _edit(login("po_a"), document, title="Neu").status_code == 404
    page = (
        login("po_a")
        .get(reverse("cases:detail", args=[document.case_id]) + "?section=documents")
        .content.decode()
    )
    assert reverse("cases:document_edit", args=[document.pk]) not in page


def test_details_of_a_closed_case_stay(demo: DemoNetwork) -> None:
    document = _demo_document(demo)
    Case.objects.filter(pk=document.case_id).update(status=CaseStatus.CLOSED, closed_on=TODAY)
    document.refresh_from_db()
    with pytest.raises(ValidationError):
        document_update(
            actor=demo.users["cm_a"],
            document=document,
            data={"title": "Neu"},
            expected_version=document.version,
        )
    document.refresh_from_db()
    assert document.title != "Neu"
