"""Persona × URL matrix: every named URL is requested as every persona.

A URL without an expectation in tests/access_expectations.py fails
`test_every_url_has_an_expectation`, so a new page cannot be added without deciding who may
see it. Outside a user's scope the answer is 404 and the body does not contain the record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bruecke.accounts.models import User
from bruecke.network.demo import DemoNetwork
from tests.access_expectations import ANON, EXPECTATIONS, LOGIN_REDIRECT, MEMBERS, PERSONAS
from tests.clients import verified_client


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
    return verified_client(persona(key)) if key != ANON else Client()


@pytest.mark.parametrize("url_name", sorted(EXPECTATIONS))
@pytest.mark.parametrize("key", PERSONAS)
def test_matrix(url_name: str, key: str, demo: DemoNetwork, persona: Callable[[str], User]) -> None:
    expect = EXPECTATIONS[url_name]
    url = reverse(url_name, kwargs=expect.kwargs(demo))
    response = getattr(_client(persona, key), expect.method)(url)
    assert response.status_code == expect.status(key), (url_name, key, response.status_code)
    if response.status_code == 404 and expect.secret and not response.streaming:
        assert expect.secret(demo).encode() not in response.content
    if key == ANON and expect.status(key) == LOGIN_REDIRECT and url_name != "core:home":
        assert response["Location"].startswith(reverse("accounts:login")) or expect.method == "post"
    assert_security_headers(response, url_name)


def assert_security_headers(response: Any, url_name: str) -> None:
    """Every answer, whatever its status, carries the security headers (checklist G2)."""
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url_name
    assert "script-src 'self'" in response["Content-Security-Policy"], url_name
    assert response["X-Content-Type-Options"] == "nosniff", url_name
    assert response["X-Frame-Options"] == "DENY", url_name
    assert response["Referrer-Policy"] == "same-origin", url_name
    assert response["Cache-Control"] == "no-store", url_name  # pages may show personal data


@pytest.mark.parametrize("key", MEMBERS)
def test_admin_is_closed(key: str, persona: Callable[[str], User]) -> None:
    """No product role opens the Django admin; it belongs to operators (superusers)."""
    client = _client(persona, key)
    for url in (reverse("admin:index"), reverse("admin:network_network_changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
