"""The pre-checks on the question page: the entered person facts decide the result, bad
input is rejected next to its field."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse

from bruecke.network.demo import DemoNetwork
from bruecke.participants.models import Participant
from bruecke.rules import texts
from bruecke.rules.person_form import PERSON_FIELDS
from bruecke.rules.precheck_types import PersonFacts

Login = Callable[[str], Client]

# A Beschäftigungsduldung case (§ 60d since 27 Feb 2024) with every person fact entered.
ALL_YES = dict.fromkeys(
    (
        "identity_clarified",
        "livelihood_secured",
        "mainly_self_supporting",
        "no_convictions",
        "children_in_school",
        "qualified_training",
        "school_3_years",
        "integration_prognosis",
        "no_imminent_measures",
        "constitution_commitment",
        "no_identity_deception",
    ),
    "True",
)


def _post(**overrides: Any) -> dict[str, Any]:
    data = {
        "activity": "employment",
        "on": "01.06.2024",
        "status": "duldung_60a",
        "status_since": "01.01.2023",
        "nationality": "AF",
        "stay_since": "01.01.2019",
        "asylum_applied_on": "01.01.2019",
        "asylum_outcome": "rejected",
        "arrival_date": "01.01.2019",
        "german_level": "A2",
        "employed_since": "01.01.2023",
        "weekly_hours": "25",
        "identity_clarified_on": "01.01.2020",
        **ALL_YES,
    }
    return data | overrides


def _url(demo: DemoNetwork) -> str:
    return reverse("rules:question", args=[Participant.objects.get(family_name="Al-Hassan").pk])


def _section(body: str, key: str) -> str:
    match = re.search(rf'<article class="kern-card precheck precheck-{key}".*?</article>', body, re.S)
    assert match, key
    return match.group(0)


def test_entered_facts_make_60d_eligible_with_its_end_date(demo: DemoNetwork, login: Login) -> None:
    response = login("cm_a").post(_url(demo), _post())
    assert response.status_code == 200
    section = _section(response.content.decode(), "60d")
    assert str(texts.PRECHECK_RESULTS["eligible"]) in section
    assert str(texts.PRECHECK_CONSEQUENCES["duldung_30_months"]) in section
    assert "30.11.2026" in section  # 30 months from 1 Jun 2024
    assert str(texts.DECISIONS["regular"]) in section
    assert "01.01.2024" in section  # the day the 12 months of employment were met


def test_waiting_only_shows_eligible_from(demo: DemoNetwork, login: Login) -> None:
    body = login("cm_a").post(_url(demo), _post(employed_since="01.07.2023")).content.decode()
    section = _section(body, "60d")
    assert str(texts.PRECHECK_RESULTS["eligible_from"]) % {"date": "01.07.2024"} in section


def test_not_known_is_open_and_no_is_not_eligible(demo: DemoNetwork, login: Login) -> None:
    client = login("cm_a")
    open_body = client.post(_url(demo), _post(livelihood_secured="")).content.decode()
    section = _section(open_body, "60d")
    assert str(texts.PRECHECK_RESULTS["open"]) in section
    assert str(texts.PRECHECK_ITEMS["livelihood"]) in section
    no_body = client.post(_url(demo), _post(livelihood_secured="False")).content.decode()
    assert str(texts.PRECHECK_RESULTS["not_eligible"]) in _section(no_body, "60d")


def test_104c_after_the_end_of_application_says_so(demo: DemoNetwork, login: Login) -> None:
    body = login("cm_a").post(_url(demo), _post(on="02.01.2026", stay_since="01.01.2017")).content.decode()
    section = _section(body, "104c")
    assert str(texts.PRECHECK_RESULTS["not_eligible"]) in section
    assert str(texts.PRECHECK_NOTES["application_ended_104c"]) in section


def test_bad_person_input_is_rejected_next_to_the_field(demo: DemoNetwork, login: Login) -> None:
    client = login("cm_a")
    for field, value in (
        ("weekly_hours", "81"),
        ("weekly_hours", "-1"),
        ("employed_since", "01.01.1900"),
        ("employed_since", "02.06.2024"),  # after the reference date
        ("identity_clarified_on", "01.01.3000"),
        ("identity_clarified", "maybe"),
        ("birth_date", "31.02.2000"),
    ):
        response = client.post(_url(demo), _post(**{field: value}))
        assert response.status_code == 400, (field, value)
        assert f'id="id_{field}-errors"' in response.content.decode(), (field, value)


def test_the_form_offers_every_person_fact() -> None:
    assert set(PERSON_FIELDS) == set(PersonFacts.__dataclass_fields__)
