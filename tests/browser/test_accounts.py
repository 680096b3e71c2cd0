"""Sign-in, dashboard, sign-out, interface language and the audit log, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_login_in_german_bad_password_then_dashboard_and_logout(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    heading = tr("Sign in to Brücke")
    assert heading != "Sign in to Brücke", "German catalogue lacks 'Sign in to Brücke' (locale/de)"
    expect(page.locator("h1")).to_have_text(heading)
    check_axe(page)

    # A wrong password: the error is shown with the form (role=alert), nobody is signed in.
    page.fill("#id_username", "martin.schulz")
    page.fill("#id_password", "definitely-wrong")
    bpage.submit()
    error = page.locator("main form.form .form-errors[role=alert]")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("#id_username")).to_have_value("martin.schulz")
    check_axe(page)

    # The right password lands on the dashboard with organisation, team and role.
    bpage.login_with_form("martin.schulz")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    roles = page.locator("section[aria-labelledby=my-roles] table tbody tr")
    expect(roles).to_have_count(1)
    cells = roles.first.locator("td")
    expect(cells.nth(0)).to_contain_text("Bildungswerk Küste e. V.")
    expect(cells.nth(0)).to_contain_text(tr("lead partner"))
    expect(cells.nth(1)).to_have_text("Netzwerk Arbeit für Geflüchtete MV")
    expect(cells.nth(2)).to_have_text("–")  # an organisation-wide role: no team
    expect(cells.nth(3)).to_have_text(tr("Administrator"))
    check_axe(page)

    # On the dashboard the first Tab reaches the visible skip link, which leads to the main content.
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    expect(page.locator("main#main")).to_be_focused()

    # Sign-out ends the session: the dashboard asks for a sign-in again.
    bpage.logout()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    bpage.goto("/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/dashboard/"))
    expect(page.locator("header nav")).to_have_count(0)


def test_dashboard_team_role_for_case_manager(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    row = page.locator("section[aria-labelledby=my-roles] table tbody tr").first
    expect(row.locator("td").nth(2)).to_contain_text("Regionalteam Rostock")
    expect(row.locator("td").nth(3)).to_have_text(tr("Case manager"))


def test_switch_language_to_english_in_settings(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("anna.berger")
    bpage.goto("/accounts/settings/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("h1")).to_have_text(tr("My settings"))
    check_axe(page)

    page.select_option("#id_language", "en")
    bpage.submit()
    expect(page).to_have_url(re.compile(r"/accounts/settings/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("My settings")
    expect(page.locator("header form[action$='/accounts/logout/'] button")).to_have_text("Log out")
    expect(page.locator("#id_language")).to_have_value("en")
    check_axe(page)

    # The choice belongs to the account: the next page is English too.
    bpage.goto("/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h2#my-roles")).to_have_text("My roles")


def test_audit_log_filtered_by_staff_member(bpage: BrowserPage) -> None:
    page = bpage.page
    # Martin leaves traces: a sign-in (through the form, which records it), a viewed staff
    # record, a sign-out.
    bpage.login_with_form("martin.schulz")
    bpage.goto("/network/staff/")
    with page.expect_navigation():
        page.click("main table a:text-is('Anna Berger')")
    expect(page.locator("h1")).to_have_text("Anna Berger")
    bpage.logout()

    bpage.login("sabine.fischer")
    with page.expect_navigation():
        page.click("header nav a[href$='/audit/']")
    expect(page.locator("h1")).to_have_text(tr("Audit log"))
    check_axe(page)

    page.select_option("#id_actor", label="Martin Schulz")
    with page.expect_navigation():
        page.click("main form.filter-form button[type=submit]")
    expect(page).to_have_url(re.compile(r"[?&]actor=\d+"))
    expect(page.locator("#id_actor option:checked")).to_have_text("Martin Schulz")
    rows = page.locator("table.audit tbody tr")
    expect(rows.first.locator("td")).to_have_count(6)  # events, not "no events match"
    actors = rows.locator("td:nth-child(2)").all_inner_texts()
    assert actors and set(actors) == {"Martin Schulz"}
    actions = set(rows.locator("td:nth-child(3)").all_inner_texts())
    assert {tr("logged in"), tr("viewed"), tr("logged out")} <= actions, actions
    expect(page.locator("table.audit caption")).to_contain_text(str(len(actors)))
    check_axe(page)
