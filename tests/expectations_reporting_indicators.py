"""Persona × URL expectations for the reporting app: indicators (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import Expect
from tests.expectations_reporting_base import DRILL_DOWN_READERS, REPORT_READERS

EXPECTATIONS: dict[str, Expect] = {
    "reporting:index": Expect(default=404, statuses=REPORT_READERS),
    # The report with the default choice (the first project, its period, the whole network).
    "reporting:indicators": Expect(default=404, statuses=REPORT_READERS),
    # The lists behind the numbers (default: the first indicator, total): never the
    # coordinator, who is entitled to counts but not to names.
    "reporting:indicator_participants": Expect(default=404, statuses=DRILL_DOWN_READERS),
    "reporting:indicator_incomplete": Expect(default=404, statuses=DRILL_DOWN_READERS),
}
