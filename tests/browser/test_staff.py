"""Staff administration: a new account with its first role, deactivation, no roles after."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.accounts.models import User
from bruecke.network.models import Membership, Role
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_create_deactivate_and_refuse_new_role(bpage: BrowserPage) -> None:
    page = bpage.page
    bpage.login("martin.schulz")
    with page.expect_navigation():
        page.click("header nav a[href$='/network/staff/']")
    expect(page.locator("h1")).to_have_text(tr("Staff and roles"))
    check_axe(page)

    with page.expect_navigation():
        page.click("main a[href$='/network/staff/new/']")
    check_axe(page)
    page.fill("#id_username", "lena.richter")
    page.fill("#id_first_name", "Lena")
    page.fill("#id_last_name", "Richter")
    page.fill("#id_email", "lena.richter@example.org")
    page.select_option("#id_language", "de")
    page.select_option("#id_m-organisation", label="Bildungswerk Küste")
    page.select_option("#id_m-team", label="Regionalteam Rostock")
    page.select_option("#id_m-role", Role.PLACEMENT_OFFICER.value)
    bpage.submit()

    staff = User.objects.get(username="lena.richter")
    expect(page).to_have_url(re.compile(rf"/network/staff/{staff.pk}/$"))
    expect(page.locator("h1")).to_have_text("Lena Richter")
    roles = page.locator("main table tbody tr")
    expect(roles).to_have_count(1)
    expect(roles.first).to_contain_text(tr("Placement officer"))
    expect(roles.first).to_contain_text("Regionalteam Rostock")
    assert not staff.has_usable_password()  # the person sets it from the invitation
    check_axe(page)

    # Deactivate the account.
    with page.expect_navigation():
        page.click(f"main form[action$='/network/staff/{staff.pk}/active/'] button")
    expect(page.locator("main .app-messages")).to_contain_text(tr("The account is deactivated."))
    deactivated = tr("active,deactivated").split(",")[1]
    expect(page.locator(f"main dl dt:text-is('{tr('Account')}') + dd")).to_have_text(deactivated)
    staff.refresh_from_db()
    assert not staff.is_active
    check_axe(page)

    # A deactivated account gets no new role: the error is shown, nothing is saved.
    with page.expect_navigation():
        page.click(f"main a[href$='/network/staff/{staff.pk}/roles/new/']")
    check_axe(page)
    page.select_option("#id_organisation", label="Bildungswerk Küste")
    page.select_option("#id_role", Role.CASE_MANAGER.value)
    bpage.submit()
    alert = page.locator("main .form-errors[role=alert]")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text(tr("This account is deactivated; reactivate it before adding roles."))
    assert Membership.objects.filter(user=staff).count() == 1
    check_axe(page)
