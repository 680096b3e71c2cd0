"""Persona × URL expectations for the reporting app: dashboards (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import Expect
from tests.expectations_reporting_base import REPORT_READERS

EXPECTATIONS: dict[str, Expect] = {
    "reporting:dashboard": Expect(default=404, statuses=REPORT_READERS),
}
