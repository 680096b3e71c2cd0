"""Building blocks of the persona × URL expectations (personas, Expect, helpers).

Used by tests/test_access_matrix.py (every URL × every persona) and by the browser
sweep that runs axe-core on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bruecke.network.demo import DemoNetwork

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
    # False for file downloads and JSON: no page to check for accessibility.
    is_page: bool = True
    # Text of the record that must not appear in a 404 body.
    secret: Callable[[DemoNetwork], str] | None = None

    def status(self, persona: str) -> int:
        return self.statuses.get(persona, self.default)


def _everyone(status: int, anon: int = LOGIN_REDIRECT) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(MEMBERS, status)}


def _only(allowed: dict[str, int], *, anon: int = LOGIN_REDIRECT) -> Expect:
    return Expect(default=404, statuses={ANON: anon, **allowed})
