"""axe-core on every page of the persona matrix: each GET page that some persona may open
is loaded once, as the first sweeping persona who may open it (as a visitor where it is
public), and checked for WCAG 2.1 AA."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bruecke.network.demo import PERSONAS, seed_network
from tests.access_expectations import ANON, EXPECTATIONS, MEMBERS
from tests.browser.conftest import BrowserPage, check_axe


def _pages_for(key: str) -> list[str]:
    return sorted(
        name for name, e in EXPECTATIONS.items() if e.method == "get" and e.is_page and e.status(key) == 200
    )


def _username(key: str) -> str:
    return PERSONAS[key][0] if key in PERSONAS else key


# team_lead: the only persona who may open the deletion page of a case; cm_b: the only one
# who answers a referral to partner B (offers:referral_incoming_detail); coordinator: the
# only one who manages projects and their targets (reporting:project_edit, ...).
SWEEPING = [ANON, "admin", "dpo", "cm_a", "team_lead", "cm_b", "coordinator"]


# Pages per test: small enough that the parallel run ends with short tests, large enough
# that signing in stays a small part of each.
CHUNK = 12


def _assigned() -> dict[str, list[str]]:
    """Each page once, as the first persona in SWEEPING who may open it."""
    seen: set[str] = set()
    pages: dict[str, list[str]] = {}
    for key in SWEEPING:
        pages[key] = [name for name in _pages_for(key) if name not in seen]
        seen.update(pages[key])
    return pages


def _sweep() -> list[tuple[str, int]]:
    """(persona, chunk number) pairs: many small tests instead of one long one per persona."""
    return [
        (key, start // CHUNK) for key, pages in _assigned().items() for start in range(0, len(pages), CHUNK)
    ]


@pytest.mark.browser
@pytest.mark.parametrize(("key", "chunk"), _sweep())
def test_axe_finds_nothing_on_any_page(bpage: BrowserPage, key: str, chunk: int) -> None:
    demo = seed_network()
    if key != ANON:
        bpage.login(_username(key))
    pages = _assigned()[key][chunk * CHUNK : (chunk + 1) * CHUNK]
    assert pages
    for name in pages:
        bpage.goto(reverse(name, kwargs=EXPECTATIONS[name].kwargs(demo)))
        check_axe(bpage.page)
    assert not bpage.foreign_requests()
    assert not bpage.errors


def test_every_page_is_swept_by_some_persona() -> None:
    swept = {name for key in SWEEPING for name in _pages_for(key)}
    reachable = {name for key in [ANON, *MEMBERS] for name in _pages_for(key)}
    assert reachable <= swept
