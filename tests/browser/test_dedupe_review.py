"""Duplicate review in the browser: the team lead opens the list, opens a pair, merges it,
sees the person with the other spelling, and undoes the merge; axe finds no violations."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.models import Merge
from bruecke.network.demo import seed_network
from bruecke.participants.models import Participant
from tests.browser.conftest import BrowserPage, check_axe, tr

pytestmark = pytest.mark.browser


def test_review_merge_and_undo(bpage: BrowserPage) -> None:
    demo = seed_network()
    seed_duplicates(demo)
    kept = Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")
    merged = Participant.objects.get(organisation=demo.partners["A"], family_name="Alhassan")
    page = bpage.page
    bpage.login("petra.lange")

    with page.expect_navigation():
        page.locator("header nav").get_by_role("link", name=tr("Duplicates")).click()
    expect(page.locator("h1")).to_have_text(tr("Probable duplicates"))
    check_axe(page)

    review = tr("Review %(first)s and %(second)s") % {"first": kept.full_name, "second": merged.full_name}
    with page.expect_navigation():
        page.get_by_role("link", name=review).click()
    expect(page.locator("table.dedupe-evidence")).to_contain_text(tr("for the same person"))
    check_axe(page)

    page.locator(f"input[name=keep][value='{kept.pk}']").check()
    page.get_by_label(tr("I have checked that both registrations are the same person.")).check()
    bpage.submit("main form.dedupe-merge")
    expect(page).to_have_url(re.compile(rf"/participants/{kept.pk}/$"))
    expect(page.locator("main")).to_contain_text(merged.full_name)  # now another spelling
    merge = Merge.objects.get(kept=kept, merged=merged)

    bpage.goto(reverse("dedupe:merges"))
    check_axe(page)
    undo = tr("Undo merge of %(name)s") % {"name": merged.full_name}
    with page.expect_navigation():
        page.get_by_role("button", name=undo).click()
    done = tr("The merge has been undone. Both registrations are back.")
    expect(page.locator("main")).to_contain_text(done)
    merge.refresh_from_db()
    merged.refresh_from_db()
    assert merge.undone_at is not None and merged.merged_into_id is None
