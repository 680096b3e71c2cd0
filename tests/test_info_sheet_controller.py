"""The information sheet names the controller, its data-protection officer, the supervisory
authority and the retention period (Art. 13 GDPR), from the organisation's settings, in every
sheet language; it is not printed while one of them is empty."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.network.demo import DemoNetwork
from bruecke.network.models import Organisation
from bruecke.participants import info_sheet
from bruecke.participants.models import InfoSheetLanguage

SHEET = "participants:info_sheet"

HEADINGS = {
    "de": ("Wer verantwortlich ist (Verantwortlicher)", "Aufbewahrungsfrist in Jahren: 10."),
    "en": ("Who is responsible (controller)", "Retention period in years: 10."),
    "ar": ("الجهة المسؤولة (المتحكّم في البيانات)", "مدة الحفظ بالسنوات: 10."),
    "fa": ("چه کسی مسئول است (کنترل‌کننده داده‌ها)", "مدت نگهداری به سال: 10."),
    "uk": ("Хто відповідає (контролер даних)", "Строк зберігання в роках: 10."),
}


@pytest.mark.parametrize("language", InfoSheetLanguage.values)
def test_the_sheet_names_controller_officer_authority_and_retention(
    login: Callable[[str], Client], demo: DemoNetwork, language: str
) -> None:
    partner = demo.partners["A"]
    response = login("cm_a").get(reverse(SHEET, args=[language]), {"organisation": partner.pk})
    assert response.status_code == 200
    page = response.content.decode()
    heading, retention = HEADINGS[language]
    assert heading in page and retention in page
    for value in (
        partner.name,
        "Lange Straße 1a",
        "datenschutz@bildungswerk-kueste.example",
        "Schloss Schwerin",
    ):
        assert value in page, value


@pytest.mark.parametrize("language", ["de", "ar", "fa", "uk"])
def test_the_controller_sections_are_translated(language: str, demo: DemoNetwork) -> None:
    english = info_sheet.organisation_texts(demo.partners["A"], "en")
    shown = info_sheet.organisation_texts(demo.partners["A"], language)
    for (en_heading, _en_text), (heading, _text) in zip(english, shown, strict=True):
        assert heading != en_heading
    assert shown[3][1] != english[3][1]  # the retention sentence


def test_every_demo_organisation_has_the_details(demo: DemoNetwork) -> None:
    assert {org.name: info_sheet.missing_details(org) for org in Organisation.objects.all()} == {
        org.name: [] for org in Organisation.objects.all()
    }


@pytest.mark.parametrize(
    ("field", "label"), [(name, str(label)) for name, label in info_sheet.REQUIRED_DETAILS]
)
def test_no_sheet_while_a_detail_is_missing(
    login: Callable[[str], Client], demo: DemoNetwork, field: str, label: str
) -> None:
    partner = demo.partners["A"]
    Organisation.objects.filter(pk=partner.pk).update(**{field: None if field == "retention_years" else ""})
    response = login("cm_a").get(reverse(SHEET, args=["ar"]), {"organisation": partner.pk})
    assert response.status_code == 409
    page = response.content.decode()
    # In the staff member's language (German), not the sheet's.
    assert "kann noch nicht gedruckt werden" in page and f"<li>{label}</li>" in page
    assert "Administrator:in Ihres Netzwerks trägt sie ein" in page  # who can fill it in


def test_earlier_versions_still_show_without_the_details(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    Organisation.objects.filter(pk=demo.partners["A"].pk).update(privacy_officer="")
    response = login("cm_a").get(reverse(SHEET, args=["en"]), {"version": "2026-12"})
    assert response.status_code == 200


def test_only_an_organisation_the_user_works_for(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    client = login("cm_a")
    assert client.get(reverse(SHEET, args=["en"]), {"organisation": demo.partners["B"].pk}).status_code == 404
    assert client.get(reverse(SHEET, args=["en"]), {"organisation": "x"}).status_code == 404


def _organisation_data(partner: Organisation, **overrides: Any) -> dict[str, Any]:
    data = {
        "network": partner.network_id,
        "name": partner.name,
        "short_name": partner.short_name,
        "is_lead_partner": "on" if partner.is_lead_partner else "",
        "street": partner.street,
        "postcode": partner.postcode,
        "town": partner.town,
        "privacy_officer": "Datenschutz: Ada Muster, ada@example.org",
        "supervisory_authority": "LfDI MV, Schloss Schwerin",
        "retention_years": "12",
        "is_active": "on",
        "version": partner.version,
    }
    return {**data, **overrides}


def test_the_administrator_fills_the_details_in(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    partner = demo.partners["B"]
    url = reverse("network:organisation_edit", args=[partner.pk])
    assert login("admin").post(url, _organisation_data(partner)).status_code == 302
    partner.refresh_from_db()
    assert (partner.privacy_officer, partner.retention_years) == (
        "Datenschutz: Ada Muster, ada@example.org",
        12,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"retention_years": "0"}, "retention_years"),
        ({"retention_years": "99"}, "retention_years"),
        ({"retention_years": "zehn"}, "retention_years"),
        ({"privacy_officer": "x" * 501}, "privacy_officer"),
        ({"supervisory_authority": "a\x00b"}, "supervisory_authority"),
    ],
)
def test_bad_details_are_refused_next_to_the_field(
    login: Callable[[str], Client], demo: DemoNetwork, overrides: dict[str, Any], field: str
) -> None:
    partner = demo.partners["B"]
    before = Organisation.objects.values().get(pk=partner.pk)
    response = login("admin").post(
        reverse("network:organisation_edit", args=[partner.pk]), _organisation_data(partner, **overrides)
    )
    assert response.status_code == 400
    assert f'id="id_{field}-errors"' in response.content.decode()
    assert Organisation.objects.values().get(pk=partner.pk) == before


def test_the_access_report_names_the_same_data_protection_officer(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    from bruecke.participants.models import Participant

    mohammed = Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")
    page = login("cm_a").get(reverse("privacy:access_report", args=[mohammed.pk])).content.decode()
    assert "datenschutz@bildungswerk-kueste.example" in page
