"""Case profile and documents: edit the profile with a new row, upload and delete a scan."""

from __future__ import annotations

import datetime
import re

import pytest
from playwright.sync_api import FilePayload, expect

from bruecke.cases.demo import DEMO_DOCUMENT
from bruecke.cases.models import Case, CaseDocument, Profile
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _pdf(content: bytes) -> FilePayload:
    """An upload named like a PDF, whatever its content."""
    return {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": content}


def _demo_case() -> Case:
    return Case.objects.get(participant__family_name="Al-Hassan")


def test_edit_profile_and_add_a_work_experience(bpage: BrowserPage) -> None:
    page = bpage.page
    case = _demo_case()
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/?section=profile")
    check_axe(page)
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/{case.pk}/profile/']")
    check_axe(page)
    page.fill("#id_career_goals", "Elektroniker, später Meister")
    page.fill("#id_experiences-1-occupation", "Lagerhelfer")
    page.fill("#id_experiences-1-kldb_code", "5131")  # one digit short
    page.fill("#id_experiences-1-years", "1,5")
    bpage.submit("main form.profile-form")
    # The error stands next to the field; nothing was saved.
    expect(page.locator("#id_experiences-1-kldb_code-errors")).to_contain_text(
        tr("A KldB 2010 code has exactly 5 digits.")
    )
    expect(page.locator("#id_experiences-1-kldb_code")).to_have_attribute("aria-invalid", "true")
    check_axe(page)
    assert Profile.objects.get(case=case).career_goals != "Elektroniker, später Meister"
    page.fill("#id_experiences-1-kldb_code", "51312")
    bpage.submit("main form.profile-form")

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/\?section=profile$"))
    section = page.locator("section[aria-labelledby='profile-heading']")
    expect(section).to_contain_text("Elektroniker, später Meister")
    expect(section).to_contain_text("Lagerhelfer")
    assert Profile.objects.get(case=case).experiences.count() == 2


def test_upload_download_and_delete_a_document(bpage: BrowserPage) -> None:
    page = bpage.page
    case = _demo_case()
    bpage.login("anna.berger")
    bpage.goto(f"/cases/{case.pk}/documents/new/")
    check_axe(page)
    page.select_option("#id_doc_type", "permit")
    page.fill("#id_title", "Aufenthaltserlaubnis Scan")
    page.fill("#id_valid_until", "01.01.2031")
    page.set_input_files("#id_scan_file", files=_pdf(b"<html>x</html>"))
    bpage.submit("main form.document-form")
    expect(page.locator("#id_scan_file-errors")).to_contain_text(
        tr("Only PDF, JPEG or PNG files can be uploaded.")
    )
    check_axe(page)
    page.set_input_files("#id_scan_file", files=_pdf(DEMO_DOCUMENT))
    bpage.submit("main form.document-form")

    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/"))
    rows = page.locator("section[aria-labelledby=documents-heading] table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Aufenthaltserlaubnis Scan")
    check_axe(page)
    document = CaseDocument.objects.get(case=case, title="Aufenthaltserlaubnis Scan")
    with page.expect_download() as download_info:
        rows.first.locator("a[href$='/download/']").click()
    download = download_info.value
    assert download.suggested_filename == f"permit-{document.pk}.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == DEMO_DOCUMENT

    # The expiry date was wrong: change it; the reminder follows.
    with page.expect_navigation():
        rows.first.locator("a[href$='/edit/']").click()
    check_axe(page)
    page.fill("#id_valid_until", "30.06.2031")
    bpage.submit()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/"))
    expect(rows.first).to_contain_text("30.06.2031")
    document.refresh_from_db()
    assert document.valid_until == datetime.date(2031, 6, 30)

    with page.expect_navigation():
        rows.first.locator("a[href$='/delete/']").click()
    check_axe(page)
    bpage.submit("main form.document-delete-form")
    expect(rows).to_have_count(1)
    assert not CaseDocument.objects.filter(pk=document.pk).exists()
