"""Persona × URL expectations for the mobile consultation hour screen and the caseload
view (merged into tests/access_expectations.py)."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect

# Everyone who may record contacts: case managers and team leads of any partner.
EDITORS = {"cm_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}
# Everyone who works with personal data sees at least their own caseload line.
STAFF = {"cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}

EXPECTATIONS: dict[str, Expect] = {
    "cases:mobile_record": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **EDITORS}),
    "cases:caseload": Expect(default=404, statuses={ANON: LOGIN_REDIRECT, **STAFF}),
    # Anna Berger's cases without contact: herself and her team lead, nobody else.
    "cases:caseload_stale": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"staff_pk": demo.users["cm_a"].pk},
        secret=lambda demo: demo.users["cm_a"].last_name,
    ),
}
