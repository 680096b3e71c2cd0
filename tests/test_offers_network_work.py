"""Network work: trainings with their audience rows and materials, awareness events,
cooperation partners with contacts and meetings, and the figures for reporting."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bruecke.accounts.models import User
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.offers.demo.network_work import DEMO_HANDOUT, OWN_CONTACT, OWN_PARTNER, OWN_TRAINING
from bruecke.offers.models import (
    AudienceKind,
    AwarenessEvent,
    AwarenessKind,
    CooperationMeeting,
    CooperationPartner,
    MeetingKind,
    Training,
    TrainingAudience,
    TrainingMaterial,
)
from bruecke.offers.selectors import figures
from bruecke.offers.services import network_work as services

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _day(days: int) -> str:
    return (TODAY + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def _training(demo: DemoNetwork) -> Training:
    return Training.objects.get(organisation=demo.partners["A"], topic=OWN_TRAINING)


def _partner(demo: DemoNetwork) -> CooperationPartner:
    return CooperationPartner.objects.get(organisation=demo.partners["A"], name=OWN_PARTNER)


def _audience(*rows: tuple[str, str, str], initial: int = 0) -> dict[str, str]:
    data = {
        "audience-TOTAL_FORMS": str(len(rows)),
        "audience-INITIAL_FORMS": str(initial),
        "audience-MIN_NUM_FORMS": "0",
        "audience-MAX_NUM_FORMS": "50",
    }
    for index, (kind, name, attendees) in enumerate(rows):
        data |= {
            f"audience-{index}-kind": kind,
            f"audience-{index}-organisation_name": name,
            f"audience-{index}-attendees": attendees,
        }
    return data


def _office(name: str, parts: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part, content in parts.items():
            archive.writestr(part, content)
    return SimpleUploadedFile(name, buffer.getvalue())


DOCX = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


# --- trainings --------------------------------------------------------------------------


def test_training_with_audience_rows_is_saved_in_one_go(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    client = login("cm_a")
    post = {
        "topic": "Aufenthaltsrecht kompakt",
        "held_on": _day(-3),
        "trainer": "Kanzlei Nord",
        **_audience(
            (AudienceKind.JOBCENTER, "Jobcenter Rostock", "7"),
            ("", "", ""),  # an empty row is left out
            (AudienceKind.COMPANY, "", "3"),
        ),
    }
    response = client.post(reverse("offers:training_create"), post)
    assert response.status_code == 302
    training = Training.objects.get(topic="Aufenthaltsrecht kompakt")
    assert training.organisation == demo.partners["A"]
    rows = [(r.kind, r.organisation_name, r.attendees) for r in training.audience.order_by("id")]
    assert rows == [(AudienceKind.JOBCENTER, "Jobcenter Rostock", 7), (AudienceKind.COMPANY, "", 3)]
    page = client.get(reverse("offers:training_detail", args=[training.pk]))
    assert page.context["total"] == 10


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ((AudienceKind.SCHOOL, "", "0"), "attendees"),
        ((AudienceKind.SCHOOL, "", "-2"), "attendees"),
        ((AudienceKind.SCHOOL, "", "100000"), "attendees"),
        ((AudienceKind.SCHOOL, "", ""), "attendees"),
        (("", "Jobcenter", "4"), "kind"),
        (("mayor", "", "4"), "kind"),
    ],
)
def test_bad_audience_rows_save_nothing(
    login: Callable[[str], Client], demo: DemoNetwork, row: tuple[str, str, str], field: str
) -> None:
    post = {
        "topic": "Nicht gespeichert",
        "held_on": _day(0),
        **_audience((AudienceKind.AGENTUR, "", "2"), row),
    }
    response = login("cm_a").post(reverse("offers:training_create"), post)
    assert response.status_code == 400
    assert response.context["form"].audience.forms[1].errors[field]
    assert response.context["form"].non_field_errors()
    assert not Training.objects.filter(topic="Nicht gespeichert").exists()
    assert not TrainingAudience.objects.filter(training__topic="Nicht gespeichert").exists()


def test_too_many_audience_rows_are_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    rows = [(AudienceKind.OTHER, "", "1")] * 60
    post = {"topic": "Zu viele", "held_on": _day(0), **_audience(*rows)}
    response = login("cm_a").post(reverse("offers:training_create"), post)
    assert response.status_code == 400
    assert not Training.objects.filter(topic="Zu viele").exists()


def test_training_form_has_no_fields_for_attendee_names() -> None:
    from bruecke.offers.forms.network_work import AudienceRowForm

    assert set(AudienceRowForm.base_fields) == {"kind", "organisation_name", "attendees"}
    names = {f.name for f in TrainingAudience._meta.get_fields()}
    assert not names & {"first_name", "last_name", "attendee_name", "email"}


def test_training_edit_replaces_audience_and_bumps_version(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    training = _training(demo)
    client = login("team_lead")
    url = reverse("offers:training_edit", args=[training.pk])
    form = client.get(url).context["form"]
    assert len(form.audience.forms) == 3 + 3  # three stored rows, three empty ones
    post = {
        "topic": training.topic,
        "held_on": training.held_on.strftime("%d.%m.%Y"),
        "version": str(training.version),
        **_audience((AudienceKind.JOBCENTER, "Jobcenter Rostock", "11")),
    }
    assert client.post(url, post).status_code == 302
    training.refresh_from_db()
    assert [(r.kind, r.attendees) for r in training.audience.all()] == [(AudienceKind.JOBCENTER, 11)]
    assert (
        AuditEvent.objects.filter(action=AuditAction.DELETE, object_type__icontains="audience").count() == 3
    )
    # A second editor with the old version gets a conflict; the rows stay.
    stale = {**post, **_audience((AudienceKind.OTHER, "", "1"))}
    assert client.post(url, stale).status_code == 400
    assert [(r.kind, r.attendees) for r in training.audience.all()] == [(AudienceKind.JOBCENTER, 11)]


def test_training_list_counts_and_query_count(
    login: Callable[[str], Client],
    demo: DemoNetwork,
    count_queries: Callable[..., Any],
    persona: Callable[[str], User],
) -> None:
    client = login("coordinator")
    url = reverse("offers:training_list")
    response = client.get(url)
    trainings = {t.topic: t for t in response.context["page"]}
    assert trainings[OWN_TRAINING].attendees == 16 and trainings[OWN_TRAINING].organisations == 3
    counts = []
    for batch in range(2):
        for i in range(5):
            services.training_create(
                actor=persona("cm_a"),
                training=Training(organisation=demo.partners["A"], topic=f"T {batch}-{i}", held_on=TODAY),
                audience=[TrainingAudience(kind=AudienceKind.SCHOOL, attendees=2)],
            )
        with count_queries() as ctx:
            assert client.get(url).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


# --- materials --------------------------------------------------------------------------


def test_material_upload_and_download_by_the_owning_organisation_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    training = _training(demo)
    client = login("po_a")
    upload = _office("Folien.docx", DOCX)
    response = client.post(
        reverse("offers:training_material_upload", args=[training.pk]), {"title": "Folien", "upload": upload}
    )
    assert response.status_code == 302
    material = TrainingMaterial.objects.get(training=training, title="Folien")
    assert material.file.name.endswith(".docx") and "Folien" not in material.file.name
    download = client.get(reverse("offers:training_material_download", args=[material.pk]))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    # Another partner and the coordinator see the training, but neither materials nor files.
    for other in ("cm_b", "coordinator"):
        other_client = login(other)
        assert (
            other_client.get(reverse("offers:training_material_download", args=[material.pk])).status_code
            == 404
        )
        page = other_client.get(reverse("offers:training_detail", args=[training.pk]))
        assert page.status_code == 200 and "Folien" not in page.content.decode()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("slides.pdf", b"<html><script>alert(1)</script></html>", "file_type"),
        ("slides.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "polyglot"),
        ("handout.pdf", b"%PDF-1.4\n1 0 obj<</OpenAction 2 0 R>>endobj\n%%EOF\n", "pdf_active"),
        ("alt.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "office_legacy"),
        ("kaputt.docx", b"PK\x03\x04kaputt", "office_broken"),
        ("scan.pdf.exe", b"MZ\x90\x00", "file_type"),
    ],
)
def test_bad_materials_are_refused(
    login: Callable[[str], Client], demo: DemoNetwork, name: str, content: bytes, code: str
) -> None:
    training = _training(demo)
    before = TrainingMaterial.objects.count()
    response = login("cm_a").post(
        reverse("offers:training_material_upload", args=[training.pk]),
        {"title": "Böse", "upload": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() or response.context["form"].errors
    assert TrainingMaterial.objects.count() == before


@pytest.mark.parametrize(
    "parts",
    [
        {**DOCX, "word/vbaProject.bin": b"macro"},
        {**DOCX, "../../etc/passwd": b"x"},
        {"mimetype": b"application/vnd.oasis.opendocument.text", "Basic/Standard/Module1.xml": b"x"},
        {"[Content_Types].xml": b"<Types/>", "other.xml": b"x"},
    ],
)
def test_office_files_with_macros_or_unsafe_paths_are_refused(
    demo: DemoNetwork, persona: Callable[[str], User], parts: dict[str, bytes]
) -> None:
    from django.core.exceptions import ValidationError

    material = TrainingMaterial(training=_training(demo), title="Makro")
    with pytest.raises(ValidationError):
        services.material_upload(actor=persona("cm_a"), material=material, upload=_office("m.docx", parts))


def test_opendocument_and_size_limit(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    from django.core.exceptions import ValidationError

    odt = _office(
        "text.odt", {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    )
    material = services.material_upload(
        actor=persona("cm_a"), material=TrainingMaterial(training=_training(demo), title="ODT"), upload=odt
    )
    assert material.extension == "odt"
    with override_settings(UPLOAD_MAX_BYTES=len(DEMO_HANDOUT) - 1), pytest.raises(ValidationError) as caught:
        services.material_upload(
            actor=persona("cm_a"),
            material=TrainingMaterial(training=_training(demo), title="Groß"),
            upload=SimpleUploadedFile("h.pdf", DEMO_HANDOUT),
        )
    assert caught.value.code == "too_large"


# --- events -----------------------------------------------------------------------------


def test_event_create_edit_and_bad_audience(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_b")
    url = reverse("offers:event_create")
    post = {
        "title": "Infoabend Ausbildung",
        "kind": AwarenessKind.INFORMATION,
        "held_on": _day(-1),
        "audience": "40",
    }
    for bad in ("-1", "10001", "viele", ""):
        response = client.post(url, {**post, "audience": bad})
        assert response.status_code == 400 and response.context["form"].errors["audience"]
    assert client.post(url, {**post, "kind": "party"}).status_code == 400
    assert client.post(url, post).status_code == 302
    event = AwarenessEvent.objects.get(title="Infoabend Ausbildung")
    assert event.organisation == demo.partners["B"]
    # Partner A reads it in the list but cannot change it.
    assert "Infoabend Ausbildung" in login("cm_a").get(reverse("offers:event_list")).content.decode()
    assert login("cm_a").get(reverse("offers:event_edit", args=[event.pk])).status_code == 404
    edit = {**post, "audience": "45", "version": str(event.version)}
    assert client.post(reverse("offers:event_edit", args=[event.pk]), edit).status_code == 302
    event.refresh_from_db()
    assert event.audience == 45


# --- cooperation partners ---------------------------------------------------------------


def test_partner_contacts_and_meetings_only_for_the_owning_organisation(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    partner = _partner(demo)
    url = reverse("offers:partner_detail", args=[partner.pk])
    own = login("cm_a").get(url)
    assert OWN_CONTACT in own.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.READ, object_type__icontains="cooperationcontact"
    ).exists()
    for other in ("cm_b", "coordinator"):
        html = login(other).get(url).content.decode()
        assert OWN_PARTNER in html
        assert OWN_CONTACT not in html
        assert "Kooperationsvereinbarung" not in html


def test_meeting_rules_and_encrypted_note(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    partner = _partner(demo)
    client = login("cm_a")
    url = reverse("offers:partner_meeting_create", args=[partner.pk])
    post = {
        "held_on": _day(0),
        "kind": MeetingKind.AGREEMENT,
        "subject": "Praktikumsplätze",
        "note": "Vertraulich 123",
    }
    response = client.post(url, {**post, "agreed_until": _day(-1)})
    assert response.status_code == 400 and response.context["form"].errors["agreed_until"]
    response = client.post(url, {**post, "kind": MeetingKind.MEETING, "agreed_until": _day(30)})
    assert response.status_code == 400 and response.context["form"].errors["agreed_until"]
    assert client.post(url, {**post, "agreed_until": _day(365)}).status_code == 302
    meeting = CooperationMeeting.objects.get(subject="Praktikumsplätze")
    assert meeting.recorded_by == demo.users["cm_a"]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM offers_cooperationmeeting WHERE id = %s", [meeting.pk])
        stored = cursor.fetchone()[0]
    assert "Vertraulich" not in str(stored)


def test_partner_contact_create_and_scope(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    partner = _partner(demo)
    url = reverse("offers:partner_contact_create", args=[partner.pk])
    assert login("cm_b").post(url, {"name": "Fremd"}).status_code == 404
    response = login("po_a").post(url, {"name": "Ole Jensen", "email": "nicht-gültig"})
    assert response.status_code == 400 and response.context["form"].errors["email"]
    assert (
        login("po_a").post(url, {"name": "Ole Jensen", "function": "Ausbildungsberater"}).status_code == 302
    )
    assert partner.contacts.filter(name="Ole Jensen").exists()


def test_partner_create_by_coordinator_is_refused(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    assert (
        login("coordinator").post(reverse("offers:partner_create"), {"kind": "ihk", "name": "X"}).status_code
        == 404
    )
    assert not CooperationPartner.objects.filter(name="X").exists()


# --- figures ----------------------------------------------------------------------------


def test_figures_count_in_sql_by_kind_and_date(demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    a, b = demo.partners["A"].pk, demo.partners["B"].pk
    start, end = TODAY - datetime.timedelta(days=365), TODAY
    base_trainings = figures.trainings_held([a], start, end)
    base = figures.training_audience_by_kind([a], start, end)
    assert base[AudienceKind.JOBCENTER].count == 1 and base[AudienceKind.JOBCENTER].people == 9
    services.training_create(
        actor=persona("cm_a"),
        training=Training(organisation=demo.partners["A"], topic="Neu", held_on=TODAY),
        audience=[
            TrainingAudience(kind=AudienceKind.JOBCENTER, attendees=5),
            TrainingAudience(kind=AudienceKind.JOBCENTER, organisation_name="Jobcenter Güstrow", attendees=2),
        ],
    )
    # Outside the range and of another partner: not counted.
    services.training_create(
        actor=persona("cm_a"),
        training=Training(
            organisation=demo.partners["A"], topic="Alt", held_on=start - datetime.timedelta(days=1)
        ),
        audience=[TrainingAudience(kind=AudienceKind.JOBCENTER, attendees=50)],
    )
    services.training_create(
        actor=persona("cm_b"),
        training=Training(organisation=demo.partners["B"], topic="B", held_on=TODAY),
        audience=[TrainingAudience(kind=AudienceKind.JOBCENTER, attendees=70)],
    )
    after = figures.training_audience_by_kind([a], start, end)
    assert after[AudienceKind.JOBCENTER] == figures.Reached(count=3, people=16)
    assert figures.trainings_held([a], start, end) == base_trainings + 1
    assert figures.training_audience_by_kind([a, b], start, end)[AudienceKind.JOBCENTER].people == 86
    events = figures.events_by_kind([a], start, end)
    assert events[AwarenessKind.OASE] == figures.Reached(count=1, people=180)
    assert AwarenessKind.INFORMATION not in events
    assert figures.events_by_kind([], start, end) == {}
