"""Persona × URL matrix: every named URL is requested as every persona.

A URL without an expectation here fails `test_every_url_has_an_expectation`, so a new page
cannot be added without deciding who may see it. Outside a user's scope the answer is 404
and the body does not contain the record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from bruecke.network.models import ConsultationHour, Membership, MobileSite, Office

ANON = "anonymous"
PERSONAS = [
    ANON,
    "cm_a",
    "po_a",
    "cm_b",
    "team_lead",
    "coordinator",
    "dpo",
    "admin",
    "user_c",
    "ruppin.admin",
]
MEMBERS = PERSONAS[1:]
LOGIN_REDIRECT = 302

Kwargs = Callable[[DemoNetwork], dict[str, Any]]


@dataclass(frozen=True)
class Expect:
    """Expected status per persona; `default` for personas not listed."""

    default: int
    statuses: dict[str, int] = field(default_factory=dict)
    kwargs: Kwargs = lambda demo: {}
    method: str = "get"
    # Text of the record that must not appear in a 404 body.
    secret: Callable[[DemoNetwork], str] | None = None

    def status(self, persona: str) -> int:
        return self.statuses.get(persona, self.default)


def _everyone(status: int, anon: int = LOGIN_REDIRECT) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(MEMBERS, status)}


def _only(allowed: dict[str, int], *, anon: int = LOGIN_REDIRECT) -> Expect:
    return Expect(default=404, statuses={ANON: anon, **allowed})


def _site(demo: DemoNetwork) -> MobileSite:
    return MobileSite.objects.get(network=demo.network, name="Rathaus Wismar")


def _hour(demo: DemoNetwork) -> ConsultationHour:
    return ConsultationHour.objects.filter(site=_site(demo)).first()  # type: ignore[return-value]


def _office(demo: DemoNetwork) -> Office:
    return Office.objects.get(organisation=demo.partners["A"], name="Büro Rostock")


def _membership(demo: DemoNetwork) -> Membership:
    return Membership.objects.get(user=demo.users["cm_a"])


ADMIN_OF_MV = {"admin": 200}
ADMIN_ANY_NETWORK = {"admin": 200, "ruppin.admin": 200}
# POST actions by the administrator redirect back to the page they came from.
ADMIN_POST = {"admin": 302}

EXPECTATIONS: dict[str, Expect] = {
    "core:home": Expect(default=302, statuses=_everyone(302)),
    "core:dashboard": Expect(default=200, statuses=_everyone(200)),
    "core:health": Expect(default=200, statuses=_everyone(200, anon=200)),
    "core:audit_log": _only({"dpo": 200}),
    "accounts:login": Expect(default=302, statuses=_everyone(302, anon=200)),
    "accounts:logout": Expect(default=302, statuses=_everyone(302, anon=302), method="post"),
    "accounts:language": Expect(default=302, statuses=_everyone(302, anon=302), method="post"),
    "accounts:settings": Expect(default=200, statuses=_everyone(200)),
    "accounts:password_change": Expect(default=200, statuses=_everyone(200)),
    "accounts:password_set": Expect(
        default=200,
        statuses=_everyone(200, anon=200),
        kwargs=lambda demo: {"uidb64": "MQ", "token": "not-a-valid-token"},
    ),
    "network:network_page": Expect(default=200, statuses=_everyone(200)),
    "network:manage": _only(ADMIN_ANY_NETWORK),
    "network:staff_list": _only(ADMIN_ANY_NETWORK),
    "network:staff_create": _only(ADMIN_ANY_NETWORK),
    "network:organisation_create": _only(ADMIN_ANY_NETWORK),
    "network:office_create": _only(ADMIN_ANY_NETWORK),
    "network:team_create": _only(ADMIN_ANY_NETWORK),
    "network:site_create": _only(ADMIN_ANY_NETWORK),
    "network:organisation_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": demo.partners["A"].pk},
        secret=lambda demo: demo.partners["A"].name,
    ),
    "network:office_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": _office(demo).pk},
        secret=lambda demo: _office(demo).street,
    ),
    "network:team_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": demo.teams["Rostock"].pk},
        secret=lambda demo: demo.teams["Rostock"].region,
    ),
    "network:site_detail": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": _site(demo).pk},
        secret=lambda demo: _site(demo).name,
    ),
    "network:site_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": _site(demo).pk},
        secret=lambda demo: _site(demo).name,
    ),
    "network:hour_create": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"site_pk": _site(demo).pk},
    ),
    "network:hour_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": _hour(demo).pk},
    ),
    "network:hour_delete": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_POST},
        kwargs=lambda demo: {"pk": _hour(demo).pk},
        method="post",
    ),
    "network:staff_detail": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": demo.users["cm_a"].pk},
        secret=lambda demo: demo.users["cm_a"].email,
    ),
    "network:staff_edit": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"pk": demo.users["cm_a"].pk},
        secret=lambda demo: demo.users["cm_a"].email,
    ),
    "network:staff_set_active": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_POST},
        kwargs=lambda demo: {"pk": demo.users["cm_a"].pk},
        method="post",
    ),
    "network:staff_invite": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_POST},
        kwargs=lambda demo: {"pk": demo.users["cm_a"].pk},
        method="post",
    ),
    "network:membership_create": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_OF_MV},
        kwargs=lambda demo: {"staff_pk": demo.users["cm_a"].pk},
    ),
    "network:membership_end": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **ADMIN_POST},
        kwargs=lambda demo: {"pk": _membership(demo).pk},
        method="post",
    ),
}


def _url_names(patterns: list[Any], namespace: str = "") -> list[str]:
    names = []
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names += _url_names(p.url_patterns, inner)
        elif isinstance(p, URLPattern):
            names.append(f"{namespace}{p.name}" if p.name else f"{namespace}<unnamed {p.pattern}>")
    return names


def product_url_names() -> list[str]:
    # The Django admin is for operators (superusers) and is checked by `test_admin_is_closed`.
    return [n for n in _url_names(get_resolver().url_patterns) if not n.startswith("admin:")]


def test_every_url_has_an_expectation() -> None:
    missing = sorted(set(product_url_names()) - set(EXPECTATIONS))
    assert not missing, f"URLs without a persona expectation in the matrix: {missing}"
    stale = sorted(set(EXPECTATIONS) - set(product_url_names()))
    assert not stale, f"Expectations for URLs that no longer exist: {stale}"


def _client(persona: Callable[[str], User], key: str) -> Client:
    client = Client()
    if key != ANON:
        client.force_login(persona(key))
    return client


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
@pytest.mark.parametrize("key", PERSONAS)
def test_matrix(url_name: str, key: str, demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    expect = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    response = getattr(_client(persona, key), expect.method)(url)
    assert response.status_code == expect.status(key), (url_name, key, response.status_code)
    if response.status_code == 404 and expect.secret:
        assert expect.secret(demo).encode() not in response.content
    if key == ANON and expect.status(key) == LOGIN_REDIRECT and url_name != "core:home":
        assert response["Location"].startswith(reverse("accounts:login")) or expect.method == "post"


@pytest.mark.parametrize("key", MEMBERS)
def test_admin_is_closed(key: str, persona: Callable[[str], User]) -> None:
    """No product role opens the Django admin; it belongs to operators (superusers)."""
    client = _client(persona, key)
    for url in (reverse("admin:index"), reverse("admin:network_network_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
