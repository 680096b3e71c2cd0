"""Persona × URL expectations for the reporting app: exports (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_reporting_base import DRILL_DOWN_READERS, REPORT_READERS

EXPECTATIONS: dict[str, Expect] = {
    # The user's report exports: figures readers (the list shows only their own jobs).
    "reporting:exports": Expect(default=404, statuses=REPORT_READERS),
    # POST only: a GET is refused with 405 for every member before anything is looked up
    # (the POST itself is tested in tests/test_reporting_exports.py).
    "reporting:export_start": Expect(default=405, statuses={ANON: LOGIN_REDIRECT}, is_page=False),
    # Participant-level: figures readers who also see personal data, never the coordinator.
    "reporting:funder_file": Expect(default=404, statuses=DRILL_DOWN_READERS),
}
