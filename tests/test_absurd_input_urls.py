"""Every URL of the persona × URL matrix answers absurd ids and parameters with 400 or 404.

A record id beyond the database's integer range, or a date such as 9999-12-31 in a filter,
is a client's mistake (or probing), never a server error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import EXPECTATIONS, MEMBERS, Expect
from tests.clients import verified_client

HUGE = 99999999999999999999  # beyond a signed 64-bit integer
ABSURD_VALUES = ["9999-12-31", "0001-01-01", str(HUGE), "-1", "31.12.9999"]
# Every query parameter a view of the product reads (grep request.GET), plus the fields of
# the filter forms that read the query string.
PARAMETERS = [
    "on", "page", "documents", "case", "site", "rows", "team", "status", "eligibility", "lang",
    "version", "weeks", "s", "done", "expiring", "incomplete_esf", "date_from", "date_to",
    "actor", "action", "organisation", "date", "from", "to", "until", "since", "year", "month",
]  # fmt: skip


def _member(expect: Expect) -> str:
    """A persona who may open the URL (the answer to absurd input is then about the input)."""
    allowed = [key for key in MEMBERS if expect.status(key) < 400]
    return allowed[0] if allowed else MEMBERS[0]


def _client(persona: Callable[[str], User], key: str) -> Client:
    return verified_client(persona(key))


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
def test_huge_ids_in_the_path_answer_404(
    url_name: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    expect = EXPECTATIONS[url_name]
    kwargs = expect.kwargs(demo)
    huge: dict[str, Any] = {k: HUGE if isinstance(v, int) else v for k, v in kwargs.items()}
    if huge == kwargs:
        pytest.skip("no id in the path")
    response = getattr(_client(persona, _member(expect)), expect.method)(reverse(url_name, kwargs=huge))
    assert response.status_code in (400, 404), (url_name, response.status_code)


@pytest.mark.parametrize("value", ABSURD_VALUES)
@pytest.mark.parametrize("url_name", sorted(n for n, e in EXPECTATIONS.items() if e.method == "get"))
def test_absurd_query_parameters_never_cause_a_server_error(
    url_name: str, value: str, demo: DemoNetwork, persona: Callable[[str], User]
) -> None:
    expect = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    response = _client(persona, _member(expect)).get(url, dict.fromkeys(PARAMETERS, value))
    assert response.status_code < 500, (url_name, value, response.status_code)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2101-01-01"])
def test_the_rule_overview_refuses_absurd_dates_with_400(value: str, login: Callable[[str], Client]) -> None:
    response = login("coordinator").get(reverse("rules:overview"), {"on": value})
    assert response.status_code == 400
    assert "1900" in response.content.decode() and "2100" in response.content.decode()


def test_a_huge_team_filter_finds_nothing_instead_of_failing(login: Callable[[str], Client]) -> None:
    response = login("cm_a").get(reverse("participants:list"), {"team": str(HUGE)})
    assert response.status_code == 200
