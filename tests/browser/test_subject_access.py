"""Access report (Art. 15 GDPR): Anna opens it from Mohammed's page, switches it to English
and downloads the machine-readable copy."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_access_report_from_the_participant_page(bpage: BrowserPage, tmp_path: Path) -> None:
    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    bpage.login("anna.berger")
    bpage.goto(f"/participants/{mohammed.pk}/")
    with page.expect_navigation():
        page.get_by_role("link", name=tr("Access report (Art. 15 GDPR)")).click()
    expect(page).to_have_url(re.compile(rf"/privacy/participant/{mohammed.pk}/access-report/$"))
    expect(page.locator("h1")).to_have_text(tr("Access to personal data (Art. 15 GDPR)"))
    expect(page.locator("main")).to_contain_text("Muhammad Alhasan")
    check_axe(page)

    page.select_option("#report-language", "en")
    with page.expect_navigation():
        page.get_by_role("button", name=tr("Show")).click()
    expect(page.locator("h1")).to_have_text("Access to personal data (Art. 15 GDPR)")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    check_axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=tr("Download as JSON (machine-readable)")).click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"auskunft-{mohammed.pk}-")
    target = tmp_path / "report.json"
    download.save_as(target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["language"] == "en"
    assert data["participant"]["given_names"] == "Mohammed"


def test_long_notes_sit_in_a_full_width_row_and_pass_axe(bpage: BrowserPage) -> None:
    from bruecke.cases.models import Contact

    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    contact = Contact.objects.filter(case__participant=mohammed, confidential=False).first()
    assert contact is not None
    contact.note = "Bewerbungsunterlagen besprochen und Termin vereinbart. " * 20
    contact.save(update_fields=["note"])
    bpage.login("anna.berger")
    bpage.goto(f"/privacy/participant/{mohammed.pk}/access-report/")
    row = page.locator("tr.note-row", has_text="Termin vereinbart")
    expect(row).to_have_count(1)
    assert row.locator("td").get_attribute("colspan") == str(
        page.locator("table.records", has=row).locator("thead th").count()
    )
    check_axe(page)
