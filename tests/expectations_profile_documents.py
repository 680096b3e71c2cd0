"""Persona × URL expectations for the case profile and case documents (merged into
tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import CaseDocument
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case, _mohammed

# Profile and documents are case work (RECORD_CASE_WORK): the team's case managers and team
# leads, and Jonas Krause (po_a) as the placement officer of Mohammed's case (decision 0037).
EDITORS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}
READERS = {ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200}


def _document(demo: DemoNetwork) -> CaseDocument:
    return CaseDocument.objects.filter(case=_case(demo)).earliest("id")


EXPECTATIONS: dict[str, Expect] = {
    "cases:profile_edit": Expect(
        default=404,
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "cases:document_create": Expect(
        default=404,
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _mohammed(demo).family_name,
    ),
    "cases:document_download": Expect(
        default=404,
        statuses=READERS,
        kwargs=lambda demo: {"pk": _document(demo).pk},
        is_page=False,
        secret=lambda demo: _document(demo).title,
    ),
    "cases:document_edit": Expect(
        default=404,
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": _document(demo).pk},
        secret=lambda demo: _document(demo).title,
    ),
    "cases:document_delete": Expect(
        default=404,
        # GET shows the confirmation page; nothing is deleted.
        statuses=EDITORS,
        kwargs=lambda demo: {"pk": _document(demo).pk},
        secret=lambda demo: _document(demo).title,
    ),
}
