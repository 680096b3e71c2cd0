"""The second factor in a real browser: first sign-in sets up the app (QR code and key),
the recovery codes are shown once, the next sign-in asks for a code (axe on each step)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from bruecke.accounts import totp
from bruecke.accounts.models import MfaDevice
from bruecke.network.demo import DEMO_PASSWORD
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def _password(bpage: BrowserPage, username: str) -> None:
    bpage.goto("/accounts/login/")
    bpage.page.fill("#id_username", username)
    bpage.page.fill("#id_password", DEMO_PASSWORD)
    bpage.submit()


def test_set_up_the_app_then_sign_in_with_a_recovery_code(bpage: BrowserPage) -> None:
    page = bpage.page
    MfaDevice.objects.filter(user__username="leyla.demir").delete()
    _password(bpage, "leyla.demir")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/setup/"))
    expect(page.locator("h1")).to_have_text(tr("Set up the second factor"))
    expect(page.locator(".qr svg[role=img]")).to_be_visible()
    check_axe(page)

    page.fill("#id_code", "000000")
    bpage.submit()
    expect(page.locator("#id_code-errors")).to_contain_text(
        tr("The code is not correct. Check the time on your phone and try again.")
    )
    check_axe(page)

    secret = page.locator("[data-testid=mfa-secret]").inner_text().replace(" ", "")
    page.fill("#id_code", totp.code_at(secret, totp.current_step()))
    bpage.submit()
    codes = page.locator("[data-testid=recovery-codes] code")
    expect(codes).to_have_count(10)
    first = codes.first.inner_text()
    check_axe(page)
    with page.expect_navigation():
        page.click(f"main a:has-text('{tr('Continue')}')")
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    bpage.logout()
    _password(bpage, "leyla.demir")
    expect(page).to_have_url(re.compile(r"/accounts/mfa/\?next="))
    check_axe(page)
    page.fill("#id_code", first)
    bpage.submit()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert not bpage.foreign_requests()
    assert not bpage.errors
