"""The cross-partner notice: the demo person registered at partner A and at partner B is
announced on both participant pages, with the other partner's name only; B confirms."""

from __future__ import annotations

import pytest
from django.db.models import Q
from playwright.sync_api import expect

from bruecke.dedupe.models import CrossMatchStatus, CrossPartnerMatch
from bruecke.network.models import Organisation
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_the_notice_is_shown_at_both_partners_and_the_same_person_is_confirmed(bpage: BrowserPage) -> None:
    page = bpage.page
    at_a = Participant.objects.select_related("organisation").get(family_name="Al-Hassan")
    at_b = Participant.objects.select_related("organisation").get(family_name="Alhasan")
    partner_a, partner_b = at_a.organisation, at_b.organisation
    assert isinstance(partner_a, Organisation) and isinstance(partner_b, Organisation)

    bpage.login("anna.berger")  # case manager at partner A
    bpage.goto(f"/participants/{at_a.pk}/")
    notice = page.locator("#cross-partner")
    expect(notice).to_contain_text(f"möglicherweise bereits bei Partner {partner_b.name} registriert")
    check_axe(page)
    bpage.logout()

    bpage.login("leyla.demir")  # case manager at partner B
    bpage.goto(f"/participants/{at_b.pk}/")
    notice = page.locator("#cross-partner")
    expect(notice).to_contain_text(f"möglicherweise bereits bei Partner {partner_a.name} registriert")
    # Nothing of A's record: not the spelling at A, not the full date of birth.
    expect(notice).not_to_contain_text("Al-Hassan")
    expect(page.locator("main")).not_to_contain_text("07.03.1994")
    check_axe(page)
    with page.expect_navigation():
        notice.get_by_role("button", name=tr("Same person"), exact=True).click()
    expect(page.locator("#cross-partner")).to_have_count(0)
    expect(page.locator("main")).to_contain_text(
        tr("Recorded: the same person. The notice is closed at both partners.")
    )
    check_axe(page)
    match = CrossPartnerMatch.objects.get(Q(first=at_a) | Q(first=at_b))
    assert match.status == CrossMatchStatus.CONFIRMED
    assert not bpage.foreign_requests()
    assert not bpage.errors
