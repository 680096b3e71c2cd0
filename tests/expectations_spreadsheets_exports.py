"""Persona × URL expectations for the spreadsheets app: exports (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import Expect

EXPECTATIONS: dict[str, Expect] = {}
