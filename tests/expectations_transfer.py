"""Persona × URL expectations for case edit, status, deletion and transfer (merged into
tests/access_expectations.py)."""

from __future__ import annotations

from bruecke.cases.models import CaseTransfer, TransferStatus
from bruecke.network.demo import DemoNetwork
from tests.access_expectations_base import ANON, LOGIN_REDIRECT, Expect
from tests.expectations_cases import _case


def _pending(demo: DemoNetwork) -> CaseTransfer:
    """The demo transfer: Fatima Yusuf from partner B (Greifswald) to partner A, team Rostock."""
    return CaseTransfer.objects.get(status=TransferStatus.PENDING, case__participant__family_name="Yusuf")


EDITORS_A = {"cm_a": 200, "team_lead": 200}

EXPECTATIONS: dict[str, Expect] = {
    "cases:edit": Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, **EDITORS_A}, kwargs=lambda demo: {"pk": _case(demo).pk}
    ),
    "cases:pause": Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, **EDITORS_A}, kwargs=lambda demo: {"pk": _case(demo).pk}
    ),
    # The demo case is active: resuming is refused with a message and a redirect to the case.
    "cases:resume": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        method="post",
    ),
    "cases:delete": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "team_lead": 200},
        kwargs=lambda demo: {"pk": _case(demo).pk},
        secret=lambda demo: _case(demo).participant.family_name,
    ),
    "cases:transfer_request": Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, **EDITORS_A}, kwargs=lambda demo: {"pk": _case(demo).pk}
    ),
    "cases:transfers_incoming": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "team_lead": 200, "cm_b": 200, "user_c": 200},
    ),
    # Only the receiving side (partner A, team Rostock) decides; the sender does not.
    "cases:transfer_decide": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **EDITORS_A},
        kwargs=lambda demo: {"pk": _pending(demo).pk},
        secret=lambda demo: "Yusuf",
    ),
    # Only the sending side withdraws (partner B's case manager).
    "cases:transfer_withdraw": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_b": 302},
        kwargs=lambda demo: {"pk": _pending(demo).pk},
        method="post",
    ),
}
