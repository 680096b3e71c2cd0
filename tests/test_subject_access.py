"""The data-subject access report (Art. 15 GDPR): complete, scoped, audited, constant queries."""

from __future__ import annotations

import datetime
import json
import re
import subprocess
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils.functional import Promise

from bruecke.cases.models import AssessmentItem, Case, Contact
from bruecke.core.models import AuditAction, AuditEvent
from bruecke.network.demo import DemoNetwork
from bruecke.participants import services as participant_services
from bruecke.participants.models import Consent, ConsentMethod, ConsentPurpose, Participant
from bruecke.privacy.parts import ALWAYS_SKIPPED, EXCLUDED, OWN_SECTIONS, PARTS
from bruecke.privacy.subject_access import build_report

REPORT = "privacy:access_report"


def _mohammed(demo: DemoNetwork) -> Participant:
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _links_to(model: type[models.Model], targets: set[type[models.Model]]) -> bool:
    return any(
        f.concrete and f.is_relation and (f.many_to_one or f.one_to_one) and f.related_model in targets
        for f in model._meta.get_fields()
    )


def _models_about_participants() -> set[str]:
    """Every model of the product that refers to a participant, directly or through others."""
    product = [m for m in apps.get_models() if m.__module__.startswith("bruecke.")]
    linked: set[type[models.Model]] = {Participant}
    grew = True
    while grew:
        new = {m for m in product if m not in linked and _links_to(m, linked)}
        linked |= new
        grew = bool(new)
    return {m._meta.label_lower for m in linked}


def test_every_model_about_a_participant_is_in_the_report_or_excluded_with_a_reason() -> None:
    covered = {part.label for part in PARTS} | set(OWN_SECTIONS)
    about_participants = _models_about_participants()
    missing = about_participants - covered - set(EXCLUDED)
    assert not missing, f"Add these models to bruecke/privacy/parts.py: {sorted(missing)}"
    assert covered | set(EXCLUDED) <= about_participants
    assert "cases.contact" in covered and "esf.followup" in covered  # the walk goes deep


def test_every_field_that_is_not_bookkeeping_is_read() -> None:
    for part in PARTS:
        reader = part.reader()
        shown = {f.name for f in reader.fields} | {f.name for f in reader.many}
        links = {part.to_participant.split("__")[0], part.to_case.split("__")[0]}
        expected = {
            f.name
            for f in [*part.model._meta.concrete_fields, *part.model._meta.many_to_many]
            if f.name not in {*ALWAYS_SKIPPED, *links, *part.skip}
        }
        assert shown == expected, part.key


def test_the_report_shows_the_stored_data(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    case = Case.objects.get(participant=mohammed)
    contact = Contact.objects.filter(case=case, confidential=True).first()
    assert contact is not None and contact.note
    response = login("cm_a").get(reverse(REPORT, args=[mohammed.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Mohammed",
        "Muhammad Alhasan",  # another spelling
        "Anna Berger",
        contact.note,  # the case manager may read the confidential note: it is in her copy
        "Sprachkurs",  # a topic of a contact (many-to-many)
        "Auskunft über Ihre personenbezogenen Daten (Art. 15 DSGVO)",
        "Sabine Fischer",  # the organisation's data-protection officer
    ):
        assert text in html, text
    assert 'id="withheld-notice"' not in html


def test_notes_only_the_case_staff_may_read_are_withheld_and_counted(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = _mohammed(demo)
    confidential = [c.note for c in Contact.objects.filter(case__participant=mohammed, confidential=True)]
    sensitive = [
        i.note
        for i in AssessmentItem.objects.filter(
            assessment__case__participant=mohammed, barrier__sensitive=True
        )
        if i.note
    ]
    assert confidential and sensitive
    html = login("team_lead").get(reverse(REPORT, args=[mohammed.pk])).content.decode()
    for note in confidential + sensitive:
        assert note not in html
    notice = re.search(r'id="withheld-notice">([^<]*)<', html)
    assert notice is not None and str(len(confidential) + len(sensitive)) in notice.group(1)


def test_every_copy_is_audited(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    for name in (REPORT, "privacy:access_report_pdf", "privacy:access_report_json"):
        before = AuditEvent.objects.filter(
            action=AuditAction.SUBJECT_ACCESS, object_id=str(mohammed.pk)
        ).count()
        assert client.get(reverse(name, args=[mohammed.pk])).status_code == 200
        events = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS, object_id=str(mohammed.pk))
        assert events.count() == before + 1
        event = events.first()
        assert event is not None and event.actor == demo.users["cm_a"]
        assert event.object_type == "participants.participant" and event.changed_fields == []


def test_json_copy_is_complete_and_machine_readable(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = _mohammed(demo)
    response = login("cm_a").get(reverse("privacy:access_report_json", args=[mohammed.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "Al-Hassan" not in response["Content-Disposition"]  # never the name in a file name
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert data["participant"]["family_name"] == "Al-Hassan"
    assert data["participant"]["birth_year"] == 1994
    assert data["participant"]["nationality"] == "SY"
    [case] = data["cases"]
    assert len(case["contacts"]) == Contact.objects.filter(case__participant=mohammed).count()
    assert all(datetime.date.fromisoformat(c["date"]) for c in case["contacts"])
    assert case["case"]["case_manager"] == "Anna Berger"
    assert data["withheld_notes"] == 0
    assert {"purposes", "recipients", "access_history"} <= set(data)


def _pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)  # noqa: S607
    return result.stdout.decode()


def test_pdf_copy(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    response = login("cm_a").get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "en"})
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    text = _pdf_text(content)
    for words in ("Access to personal data", "Al-Hassan", "Counselling contacts", "Who used the data"):
        assert words in text, words


def test_language_choice(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    english = client.get(reverse(REPORT, args=[mohammed.pk]), {"lang": "en"}).content.decode()
    assert "Access to personal data (Art. 15 GDPR)" in english
    assert '<html lang="en" dir="ltr">' in english
    for bad in ("<script>", "fr", "de-DE" * 50, ""):
        page = client.get(reverse(REPORT, args=[mohammed.pk]), {"lang": bad})
        assert page.status_code == 200
        assert '<html lang="de" dir="ltr">' in page.content.decode()


def test_recipients_and_who_used_the_data(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    partner_b = demo.partners["B"]
    consent = Consent(
        participant=mohammed,
        purpose=ConsentPurpose.SHARING,
        given_on=datetime.date(2026, 11, 20),
        method=ConsentMethod.ON_SCREEN,
        sheet_version="2026-12",
        sheet_language="de",
    )
    participant_services.consent_record(actor=demo.users["cm_a"], consent=consent, shared_with=[partner_b])
    partner = login("cm_b")
    assert partner.get(reverse("participants:detail", args=[mohammed.pk])).status_code == 200
    # Sharing lets partner B read, but the report is made by the controller only.
    assert partner.get(reverse(REPORT, args=[mohammed.pk])).status_code == 404
    report = build_report(participant=mohammed, user=demo.users["cm_a"])
    assert [r.organisation for r in report.recipients] == [partner_b.name]
    assert report.recipients[0].since == datetime.date(2026, 11, 20)
    readers = {a.organisation for a in report.access if a.action == str(AuditAction.READ.label)}
    assert partner_b.name in readers
    # Organisations, never the names of staff members.
    assert all("Leyla" not in a.organisation for a in report.access)


def test_query_count_does_not_grow_with_the_records(
    login: Callable[[str], Client], demo: DemoNetwork, count_queries: Callable[..., Any]
) -> None:
    mohammed = _mohammed(demo)
    case = Case.objects.get(participant=mohammed)
    client = login("cm_a")
    counts = []
    for batch in (5, 300):
        Contact.objects.bulk_create(
            Contact(case=case, date=case.opened_on, duration_minutes=10, recorded_by=demo.users["po_a"])
            for _ in range(batch)
        )
        with count_queries() as ctx:
            assert client.get(reverse(REPORT, args=[mohammed.pk])).status_code == 200
        counts.append(ctx.count)
    assert counts[0] == counts[1]


@pytest.mark.parametrize("outsider", ["po_a", "cm_b", "dpo", "coordinator", "user_c"])
def test_only_the_controller_may_make_the_report(
    login: Callable[[str], Client], demo: DemoNetwork, outsider: str
) -> None:
    mohammed = _mohammed(demo)
    before = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).count()
    for name in (REPORT, "privacy:access_report_pdf", "privacy:access_report_json"):
        assert login(outsider).get(reverse(name, args=[mohammed.pk])).status_code == 404
    assert AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).count() == before


def test_the_participant_page_links_to_the_report_for_editors_only(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    mohammed = _mohammed(demo)
    link = reverse(REPORT, args=[mohammed.pk])
    assert link in login("cm_a").get(reverse("participants:detail", args=[mohammed.pk])).content.decode()
    assert link not in login("po_a").get(reverse("participants:detail", args=[mohammed.pk])).content.decode()


def test_a_report_over_the_row_limit_offers_the_pdf_as_a_job_besides_printing_and_json(
    login: Callable[[str], Client], demo: DemoNetwork, settings: Any
) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    report = build_report(participant=mohammed, user=demo.users["cm_a"])
    settings.ACCESS_REPORT_PDF_MAX_ROWS = report.rows
    page = client.get(reverse(REPORT, args=[mohammed.pk])).content.decode()
    assert reverse("privacy:access_report_pdf", args=[mohammed.pk]) in page
    assert 'id="pdf-notice"' not in page

    settings.ACCESS_REPORT_PDF_MAX_ROWS = report.rows - 1
    before = AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).count()
    response = client.get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "en"})
    assert response.status_code == 302
    assert response["Location"] == reverse(REPORT, args=[mohammed.pk]) + "?lang=en"
    assert AuditEvent.objects.filter(action=AuditAction.SUBJECT_ACCESS).count() == before  # no copy made
    page = client.get(response["Location"]).content.decode()
    # No refusal any more: the PDF is offered as a background job (tests/test_pdf_jobs.py).
    assert 'id="pdf-job-notice"' in page and 'id="pdf-notice"' not in page
    assert reverse("privacy:access_report_pdf_job", args=[mohammed.pk]) in page
    assert reverse("privacy:access_report_pdf", args=[mohammed.pk]) not in page
    assert reverse("privacy:access_report_json", args=[mohammed.pk]) in page


@pytest.mark.parametrize(
    ("nationality", "country_of_birth"), [("", ""), ("", "SY"), ("UA", ""), ("AF", "IR")]
)
def test_json_copy_with_empty_or_set_countries(
    login: Callable[[str], Client], demo: DemoNetwork, nationality: str, country_of_birth: str
) -> None:
    mohammed = _mohammed(demo)
    Participant.objects.filter(pk=mohammed.pk).update(
        nationality=nationality, country_of_birth=country_of_birth
    )
    response = login("cm_a").get(reverse("privacy:access_report_json", args=[mohammed.pk]))
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert data["participant"]["nationality"] == (nationality or None)
    assert data["participant"]["country_of_birth"] == (country_of_birth or None)


REPORT_TITLES = {
    "de": "Auskunft über Ihre personenbezogenen Daten (Art. 15 DSGVO)",
    "en": "Access to personal data (Art. 15 GDPR)",
    "ar": "الاطلاع على البيانات الشخصية (المادة 15 من اللائحة العامة لحماية البيانات)",
    "fa": "دسترسی به داده‌های شخصی (ماده ۱۵ مقررات عمومی حفاظت از داده‌ها)",
    "uk": "Доступ до персональних даних (ст. 15 GDPR)",
}


@pytest.mark.parametrize(
    ("language", "direction", "part_title"),
    [
        ("de", "ltr", "Beratungskontakte"),
        ("en", "ltr", "Counselling contacts"),
        ("ar", "rtl", "جلسات الاستشارة"),
        ("fa", "rtl", "جلسات مشاوره"),
        ("uk", "ltr", "Консультації"),
    ],
)
def test_the_report_in_every_language_of_the_information_sheet(
    login: Callable[[str], Client], demo: DemoNetwork, language: str, direction: str, part_title: str
) -> None:
    mohammed = _mohammed(demo)
    client = login("cm_a")
    page = client.get(reverse(REPORT, args=[mohammed.pk]), {"lang": language}).content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert REPORT_TITLES[language] in page and part_title in page
    assert "Al-Hassan" in page  # the recorded texts stay as recorded
    option = f'<option value="{language}" lang="{language}" selected>'
    assert option in page
    response = client.get(reverse("privacy:access_report_json", args=[mohammed.pk]), {"lang": language})
    assert json.loads(b"".join(response.streaming_content))["language"] == language  # type: ignore[attr-defined]


def test_the_pdf_in_a_right_to_left_language(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    mohammed = _mohammed(demo)
    response = login("cm_a").get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "uk"})
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert "Консультації" in _pdf_text(content)
    response = login("cm_a").get(reverse("privacy:access_report_pdf", args=[mohammed.pk]), {"lang": "ar"})
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def _document_strings() -> list[str]:
    """Every label the report document itself shows (not the staff's print options): the
    template's strings inside its language block, the part titles and field labels, the
    texts it builds."""
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    from bruecke.privacy import subject_access

    strings: list[str] = []
    for name in ("access_report.html", "access_report_section.html"):
        text = (Path(settings.BASE_DIR) / "templates" / "privacy" / name).read_text()
        if "{% language language %}" in text:
            text = text.split("{% language language %}", 2)[-1]
        strings += re.findall(r'{% translate "([^"]+)" %}', text)
    with translation.override("en"):  # msgids are English
        strings += [str(part.title) for part in PARTS]
        for part in PARTS:  # the label of every field the report reads
            reader = part.reader()
            strings += [str(f.verbose_name) for f in [*reader.fields, *reader.many]]
            # Choice values marked for translation (names, codes and countries are not).
            strings += [
                str(label)
                for f in reader.fields
                for _key, label in (f.flatchoices if f.choices else [])
                if isinstance(label, Promise)
            ]
    source = Path(subject_access.__file__).read_text()
    strings += re.findall(r'_\("([^"]+)"\)', source)
    return sorted(set(strings))


@pytest.mark.parametrize("language", ["de", "ar", "fa", "uk"])
def test_every_label_of_the_report_document_is_translated(language: str) -> None:
    """A new label in the report without translations into the sheet languages fails here."""
    from django.utils.translation import trans_real

    strings = _document_strings()
    assert len(strings) > 300  # labels and choice values, not just the frame
    # The language's own catalogue, not gettext: that would fall back to German unnoticed.
    catalog = trans_real.translation(language)._catalog  # type: ignore[attr-defined]
    assert [s for s in strings if not catalog.get(s)] == []
