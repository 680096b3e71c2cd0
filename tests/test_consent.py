"""Consent per purpose: recording, sharing with named partners, revocation, scans, sheet."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bruecke.core.models import AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants.demo import DEMO_SCAN
from bruecke.participants.info_sheet import INFO_SHEET_VERSION
from bruecke.participants.models import Consent, Participant
from tests.access_expectations import mohammed


def _olena(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Schewtschenko")


def _consent_data(demo: DemoNetwork, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "purpose": "sharing",
        "shared_with": [demo.partners["C"].pk],
        "given_on": datetime.date.today().strftime("%d.%m.%Y"),
        "method": "on_screen",
        "sheet_language": "ar",
    }
    return {**data, **overrides}


def _record(client: Client, person: Participant, data: dict[str, Any]) -> Any:
    return client.post(reverse("participants:consent_create", args=[person.pk]), data)


def test_sharing_gives_the_named_partner_read_access(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = mohammed(demo)
    detail = reverse("participants:detail", args=[person.pk])
    partner_c = login("user_c")
    assert partner_c.get(detail).status_code == 404
    response = _record(login("cm_a"), person, _consent_data(demo))
    assert response.status_code == 302
    consent = person.consents.get(purpose="sharing")
    assert list(consent.shared_with.all()) == [demo.partners["C"]]
    assert (consent.sheet_language, consent.sheet_version, consent.recorded_by) == (
        "ar",
        INFO_SHEET_VERSION,
        demo.users["cm_a"],
    )
    assert partner_c.get(detail).status_code == 200
    # Read only: the receiving partner cannot edit, and partner B (not named) sees nothing.
    assert partner_c.get(reverse("participants:edit", args=[person.pk])).status_code == 404
    assert login("cm_b").get(detail).status_code == 404
    assert AuditEvent.objects.filter(
        action="create", object_type="participants.consent", object_id=str(consent.pk)
    )


def test_revocation_takes_effect_on_the_next_request(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    olena = _olena(demo)  # consented to sharing with partner B in the demo data
    partner_b = login("cm_b")
    detail = reverse("participants:detail", args=[olena.pk])
    assert partner_b.get(detail).status_code == 200
    assert "Schewtschenko" in [
        p.family_name for p in partner_b.get(reverse("participants:list")).context["page"]
    ]
    consent = olena.consents.get(purpose="sharing")
    response = login("cm_a").post(reverse("participants:consent_revoke", args=[consent.pk]))
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == datetime.date.today() and consent.revoked_by == demo.users["cm_a"]
    assert partner_b.get(detail).status_code == 404
    assert "Schewtschenko" not in [
        p.family_name for p in partner_b.get(reverse("participants:list")).context["page"]
    ]
    # The record stays (immutable, revoked), and revoking twice is refused.
    login("cm_a").post(reverse("participants:consent_revoke", args=[consent.pk]))
    assert Consent.objects.filter(pk=consent.pk, revoked_on__isnull=False).count() == 1
    events = AuditEvent.objects.filter(object_type="participants.consent", object_id=str(consent.pk))
    assert any("revoked_on" in event.changed_fields for event in events)


def test_a_receiving_partner_cannot_revoke(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    consent = _olena(demo).consents.get(purpose="sharing")
    assert login("cm_b").post(reverse("participants:consent_revoke", args=[consent.pk])).status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"shared_with": []}, "shared_with"),
        ({"purpose": "counselling"}, "shared_with"),
        ({"given_on": "01.01.2200"}, "given_on"),
        ({"method": "signed_paper"}, "scan_file"),
        ({"sheet_language": "xx"}, "sheet_language"),
    ],
)
def test_bad_consent_input(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    before = Consent.objects.count(), AuditEvent.objects.count()
    response = _record(login("cm_a"), mohammed(demo), _consent_data(demo, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert (Consent.objects.count(), AuditEvent.objects.count()) == before


def test_another_networks_partner_cannot_be_named(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    foreign = demo.second_network.organisations.get()
    response = _record(login("cm_a"), mohammed(demo), _consent_data(demo, shared_with=[foreign.pk]))
    assert "shared_with" in response.context["form"].errors


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"<html><script>alert(1)</script></html>"),  # lies about its type
        ("scan.png", b"MZ\x90\x00 executable"),
        ("scan.pdf", b"%PDF-" + b"0" * 11_000_000),  # over the 10 MB limit
    ],
)
def test_scans_are_checked_by_content_and_size(
    login: Callable[[str], Client], demo: DemoNetwork, name: str, content: bytes
) -> None:
    data = _consent_data(demo, purpose="counselling", shared_with=[], method="signed_paper")
    data["scan_file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = _record(login("cm_a"), mohammed(demo), data)
    assert response.status_code == 400
    assert "scan_file" in response.context["form"].errors


def test_scan_is_stored_under_a_random_name_and_served_as_attachment(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    data = _consent_data(demo, purpose="contact_after_exit", shared_with=[], method="signed_paper")
    data["scan_file"] = SimpleUploadedFile("../../etc/passwd\u202efdp.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64)
    client = login("cm_a")
    assert _record(client, mohammed(demo), data).status_code == 302
    consent = mohammed(demo).consents.get(purpose="contact_after_exit")
    assert consent.scan.name.endswith(".png") and "passwd" not in consent.scan.name
    response = client.get(reverse("participants:consent_scan", args=[consent.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(
        action="read", object_type="participants.consent", object_id=str(consent.pk)
    )
    assert login("cm_b").get(reverse("participants:consent_scan", args=[consent.pk])).status_code == 404


def test_demo_scan_is_a_pdf(demo: DemoNetwork) -> None:
    consent = mohammed(demo).consents.get()
    with consent.scan.open("rb") as handle:
        assert handle.read() == DEMO_SCAN


@pytest.mark.parametrize(
    ("language", "direction", "title"),
    [
        ("de", "ltr", "Informationen zum Datenschutz"),
        ("en", "ltr", "Information on data protection"),
        ("ar", "rtl", "معلومات حول حماية البيانات"),
        ("fa", "rtl", "اطلاعات درباره حفاظت از داده‌ها"),
        ("uk", "ltr", "Інформація про захист даних"),
    ],
)
def test_information_sheet_in_five_languages(
    login: Callable[[str], Client], language: str, direction: str, title: str
) -> None:
    page = login("cm_a").get(reverse("participants:info_sheet", args=[language])).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert re.search(rf"<h1[^>]*>\s*{re.escape(title)}\s*</h1>", page)
    assert INFO_SHEET_VERSION in page


def test_earlier_sheet_versions_stay_readable(login: Callable[[str], Client]) -> None:
    """A consent records its sheet version; that text can be shown again."""
    client = login("cm_a")
    url = reverse("participants:info_sheet", args=["en"])
    current = client.get(url).content.decode()
    assert "handing your case over" in current  # 2026-12 names the transfer
    earlier = client.get(url, {"version": "2026-11"}).content.decode()
    assert "2026-11" in earlier and "handing your case over" not in earlier
    assert client.get(url, {"version": "1999-01"}).status_code == 404


def test_unknown_sheet_language_is_404(login: Callable[[str], Client]) -> None:
    assert login("cm_a").get(reverse("participants:info_sheet", args=["xx"])).status_code == 404


@pytest.mark.parametrize("language", ["de", "ar", "fa", "uk"])
def test_every_sheet_text_is_translated(language: str) -> None:
    """A change of the sheet's English text without new translations fails here."""
    from bruecke.participants import info_sheet

    for version, english_sections in info_sheet.VERSIONS.items():
        title, sections = info_sheet.render_texts(language, version)
        english = [info_sheet.TITLE, *(part for section in english_sections for part in section)]
        shown = [title, *(part for section in sections for part in section)]
        assert not [source for source, text in zip(english, shown, strict=True) if source == text], version


def test_the_consent_row_links_to_its_sheet_version(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    person = Participant.objects.get(family_name="Al-Hassan")
    consent = person.consents.get()
    page = login("cm_a").get(reverse("participants:detail", args=[person.pk])).content.decode()
    link = (
        reverse("participants:info_sheet", args=[consent.sheet_language])
        + f"?version={consent.sheet_version}"
    )
    assert link in page
