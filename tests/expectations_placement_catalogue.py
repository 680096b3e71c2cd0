"""Persona × URL expectations for the occupation catalogue (merged into
tests/access_expectations.py): reference data, for everyone who does placement work."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

EXPECTATIONS: dict[str, Expect] = {
    "placement:occupation_search": Expect(
        default=404,
        statuses={
            ANON: LOGIN_REDIRECT,
            "cm_a": 200,
            "po_a": 200,
            "cm_b": 200,
            "team_lead": 200,
            "user_c": 200,
        },
    ),
}
