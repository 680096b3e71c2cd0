"""Error pages in the browser: the 404 page of a foreign record and the expired-form page
are accessible and lead back."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_not_found_and_expired_form(bpage: BrowserPage) -> None:
    page = bpage.page
    mohammed = Participant.objects.get(family_name="Al-Hassan", given_names="Mohammed")
    bpage.login("leyla.demir")  # partner B: Mohammed is partner A's
    response = page.goto(f"{bpage.base_url}/participants/{mohammed.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text(tr("Page not found"))
    check_axe(page)

    bpage.goto("/participants/")
    page.context.clear_cookies(name="csrftoken")
    page.fill("#id_q", "Mohammed")
    with page.expect_navigation():
        page.locator("form[action$='/participants/search/'] button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(tr("The form has expired"))
    check_axe(page)
    with page.expect_navigation():
        page.get_by_role("link", name=tr("To the start page")).click()
    expect(page.locator("h1")).not_to_have_text(tr("The form has expired"))
