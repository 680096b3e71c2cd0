"""The pair page links each registration to its participant page, only where the reviewer
may open that page (never a link that would answer 404), and the reviewer rule is one rule."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.core import access
from bruecke.dedupe.demo import seed_duplicates
from bruecke.dedupe.merge import participants_merge
from bruecke.dedupe.models import DuplicatePair
from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant


def _pair(demo: DemoNetwork, family_name: str) -> DuplicatePair:
    seed_duplicates(demo)
    second = Participant.objects.get(organisation=demo.partners["A"], family_name=family_name)
    return DuplicatePair.objects.get(second=second)


@pytest.mark.parametrize("reviewer", ["team_lead", "dpo"])
@pytest.mark.parametrize("family_name", ["Alhassan", "Shevchenko", "Tesfai"])
def test_a_registration_is_linked_exactly_when_its_page_opens(
    login: Callable[[str], Client], demo: DemoNetwork, reviewer: str, family_name: str
) -> None:
    pair = _pair(demo, family_name)
    client = login(reviewer)
    page = client.get(reverse("dedupe:pair", args=[pair.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for side in (pair.first, pair.second):
        url = reverse("participants:detail", args=[side.pk])
        opens = client.get(url).status_code == 200
        assert (f'href="{url}"' in html) == opens, (side.full_name, opens)


def test_the_team_lead_gets_a_link_and_the_data_protection_officer_none(
    login: Callable[[str], Client], demo: DemoNetwork
) -> None:
    """Guards the test above against passing with no link anywhere (or everywhere)."""
    pair = _pair(demo, "Alhassan")  # Mohammed Al-Hassan of team Rostock and his second registration
    lead = login("team_lead").get(reverse("dedupe:pair", args=[pair.pk])).content.decode()
    dpo = login("dpo").get(reverse("dedupe:pair", args=[pair.pk])).content.decode()
    detail = reverse("participants:detail", args=[pair.first.pk])
    assert f'href="{detail}"' in lead
    assert 'href="/participants/' not in dpo


def test_a_merged_registration_is_never_linked(login: Callable[[str], Client], demo: DemoNetwork) -> None:
    pair = _pair(demo, "Shevchenko")
    participants_merge(actor=demo.users["team_lead"], kept=pair.first, merged=pair.second, pair=pair)
    html = login("team_lead").get(reverse("dedupe:pair", args=[pair.pk])).content.decode()
    assert f'href="{reverse("participants:detail", args=[pair.second.pk])}"' not in html
    assert f'href="{reverse("participants:detail", args=[pair.first.pk])}"' in html


PERSONAS = ["cm_a", "po_a", "cm_b", "team_lead", "coordinator", "dpo", "admin", "user_c"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_reviewer_organisations_and_their_ids_are_one_rule(demo: DemoNetwork, persona: str) -> None:
    user = demo.users[persona]
    organisations = access.duplicate_review_organisations(user)
    assert {o.pk for o in organisations} == access.duplicate_review_organisation_ids(user)
    assert [o.name for o in organisations] == sorted(o.name for o in organisations)
    expected = persona in {"team_lead", "dpo"}
    assert bool(organisations) == expected
