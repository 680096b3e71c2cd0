"""Mobile consultation hour: one case contact and one anonymous short contact in one save;
the team lead's caseload view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bruecke.cases.models import AnonymousContact, Case, Channel
from bruecke.network.models import MobileSite
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_record_mobile_hour_then_caseload(bpage: BrowserPage) -> None:
    page = bpage.page
    case = Case.objects.get(participant__family_name="Al-Hassan")
    site = MobileSite.objects.get(name="Rathaus Wismar")
    bpage.login("anna.berger")
    bpage.goto("/network/")
    with page.expect_navigation():
        page.click(f"main a[href$='/cases/mobile/?site={site.pk}']")
    check_axe(page)
    expect(page.locator("#id_site")).to_have_value(str(site.pk))

    first = page.locator("fieldset.mobile-row").nth(0)
    page.select_option("#id_row-0-case", str(case.pk))
    page.fill("#id_row-0-duration_minutes", "25")
    first.get_by_label("Arbeitssuche").check()
    page.fill("#id_row-0-note", "Bewerbung bei der Werft vorbereitet.")
    second = page.locator("fieldset.mobile-row").nth(1)
    page.check("#id_row-1-anonymous")
    page.fill("#id_row-1-duration_minutes", "10")
    second.get_by_label("Wohnen").check()
    page.select_option("#id_row-1-language", "ar")
    page.select_option("#id_row-1-age_group", "18_29")
    bpage.submit("main form.mobile-form")

    expect(page.locator(".app-messages")).to_contain_text("1 Fallkontakt gespeichert.")
    expect(page.locator(".app-messages")).to_contain_text("1 anonymer Kurzkontakt gespeichert.")
    wismar = page.locator("table.anonymous-summary tbody tr", has_text="Rathaus Wismar")
    expect(wismar).to_have_count(1)
    expect(wismar.locator("td").nth(2)).to_have_text("1")
    check_axe(page)
    contact = case.contacts.order_by("-id").first()
    assert contact is not None and (contact.channel, contact.site_id) == (Channel.MOBILE, site.pk)
    assert AnonymousContact.objects.filter(site=site, language="ar", age_group="18_29").count() == 1

    # A bad row shows its error next to the field and saves nothing.
    page.check("#id_row-0-anonymous")
    page.fill("#id_row-0-duration_minutes", "700")
    page.select_option("#id_row-0-language", "fa")
    bpage.submit("main form.mobile-form")
    expect(page.locator("#id_row-0-duration_minutes-errors")).to_contain_text("600")
    check_axe(page)
    assert AnonymousContact.objects.filter(site=site).count() == 1

    bpage.logout()
    bpage.login("petra.lange")
    with page.expect_navigation():
        page.click(f"header nav a:text-is('{tr('Caseload')}')")
    check_axe(page)
    anna = page.locator("table.caseload tbody tr", has_text="Anna Berger")
    expect(anna).to_have_count(1)
    expect(page.locator("table.caseload tbody tr", has_text="Leyla Demir")).to_have_count(0)
    page.fill("#id_weeks", "99")
    bpage.submit("main form.filter-form")
    expect(page.locator("#id_weeks-errors")).to_be_visible()
    check_axe(page)
