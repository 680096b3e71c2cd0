"""Persona × URL expectations for the employer links and drafts (merged into
tests/access_expectations.py). The public form: every persona, anonymous included, gets
the same answer for a valid token."""

from __future__ import annotations

from tests.access_expectations_base import ANON, LOGIN_REDIRECT, MEMBERS, Expect
from tests.placement_links_helpers import draft_of, employer_of, new_link

MANAGERS = {ANON: LOGIN_REDIRECT, "po_a": 200, "team_lead": 200}

EXPECTATIONS: dict[str, Expect] = {
    "placement:link_create": Expect(
        default=404,
        statuses=MANAGERS,
        kwargs=lambda demo: {"pk": employer_of(demo).pk},
        secret=lambda demo: employer_of(demo).name,
    ),
    "placement:link_revoke": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "po_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": new_link(demo).link.pk},
        method="post",
    ),
    "placement:link_submit": Expect(
        default=200,
        statuses={ANON: 200, **dict.fromkeys(MEMBERS, 200)},
        kwargs=lambda demo: {"token": new_link(demo).token},
    ),
    "placement:draft_list": Expect(default=404, statuses=MANAGERS),
    "placement:draft_publish": Expect(
        default=404,
        statuses=MANAGERS,
        kwargs=lambda demo: {"pk": draft_of(demo).pk},
        secret=lambda demo: draft_of(demo).title,
    ),
}
