"""Persona × URL expectations for the spreadsheets app: exports (merged into tests/access_expectations.py).

"Meine Listenexporte" shows every signed-in user their own list exports. Starting an
export is POST only: a GET is refused with 405 for every member before anything is looked
up (the POST per persona and list is tested in tests/test_spreadsheets_exports_lists.py)."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect, _everyone

EXPECTATIONS: dict[str, Expect] = {
    "spreadsheets:exports": Expect(default=200, statuses=_everyone(200)),
    "spreadsheets:export_start": Expect(
        default=405,
        statuses={ANON: LOGIN_REDIRECT},
        kwargs=lambda demo: {"key": "participants"},
        is_page=False,
    ),
}
