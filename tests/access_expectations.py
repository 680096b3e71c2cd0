"""Who may open which URL: the expectations of the persona × URL matrix.

Used by tests/test_access_matrix.py (every URL × every persona) and by the browser
sweep that runs axe-core on every page. Apps with their own expectation file
(tests/expectations_<app>.py) are merged at the end.
"""

from __future__ import annotations

from collections.abc import Callable

from bruecke.network.demo import DemoNetwork
from bruecke.network.models import ConsultationHour, Membership, MobileSite, Office
from bruecke.participants.models import Participant
from tests import (
    expectations_cases,
    expectations_dedupe_cross,
    expectations_dedupe_review,
    expectations_esf,
    expectations_exit,
    expectations_jobs,
    expectations_mobile_caseload,
    expectations_offers_catalogue,
    expectations_offers_groups,
    expectations_offers_network_work,
    expectations_offers_pathways,
    expectations_offers_referrals,
    expectations_placement_catalogue,
    expectations_placement_employers,
    expectations_placement_links,
    expectations_placement_matching,
    expectations_placement_pipeline,
    expectations_plan,
    expectations_privacy,
    expectations_profile_documents,
    expectations_projects,
    expectations_reporting_dashboards,
    expectations_reporting_exports,
    expectations_reporting_indicators,
    expectations_reporting_projects,
    expectations_rules,
    expectations_spreadsheets_exports,
    expectations_spreadsheets_imports,
    expectations_tasks,
    expectations_transfer,
)
from tests.access_expectations_base import (
    ANON,
    LOGIN_REDIRECT,
    MEMBERS,
    PERSONAS,
    Expect,
    Kwargs,
    _everyone,
    _only,
)

__all__ = ["ANON", "EXPECTATIONS", "LOGIN_REDIRECT", "MEMBERS", "PERSONAS", "Expect", "mohammed"]


def _site(demo: DemoNetwork) -> MobileSite:
    return MobileSite.objects.get(network=demo.network, name="Rathaus Wismar")


def _hour(demo: DemoNetwork) -> ConsultationHour:
    return ConsultationHour.objects.filter(site=_site(demo)).first()  # type: ignore[return-value]


def _office(demo: DemoNetwork) -> Office:
    return Office.objects.get(organisation=demo.partners["A"], name="Büro Rostock")


def _membership(demo: DemoNetwork) -> Membership:
    return Membership.objects.get(user=demo.users["cm_a"])


def mohammed(demo: DemoNetwork) -> Participant:
    """A participant of partner A, team Rostock (from the fixed demo set)."""
    return Participant.objects.get(organisation=demo.partners["A"], family_name="Al-Hassan")


def _participant_page(*, editors_only: bool = False) -> Expect:
    readers = (
        {"cm_a": 200, "team_lead": 200} if editors_only else {"cm_a": 200, "po_a": 200, "team_lead": 200}
    )
    return Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **readers},
        kwargs=lambda demo: {"pk": mohammed(demo).pk},
        secret=lambda demo: mohammed(demo).family_name,
    )


# Everyone who works with personal data, in any organisation.
PERSONAL_DATA_ROLES = {"cm_a": 200, "po_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}
PARTICIPANT_EDITORS = {"cm_a": 200, "cm_b": 200, "team_lead": 200, "user_c": 200}


def _admin_object(
    kwargs: Kwargs, secret: Callable[[DemoNetwork], str] | None = None, *, post: bool = False
) -> Expect:
    """A page or action on one record of the demo network: only its administrator."""
    return Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "admin": 302 if post else 200},
        kwargs=kwargs,
        method="post" if post else "get",
        secret=secret,
    )


ADMIN_ANY_NETWORK = {"admin": 200, "ruppin.admin": 200}

EXPECTATIONS: dict[str, Expect] = {
    "core:home": Expect(default=302, statuses=_everyone(302)),
    "core:dashboard": Expect(default=200, statuses=_everyone(200)),
    "core:health": Expect(default=200, statuses=_everyone(200, anon=200), is_page=False),
    "core:audit_log": _only({"dpo": 200}),
    "accounts:login": Expect(default=302, statuses=_everyone(302, anon=200)),
    "accounts:logout": Expect(default=302, statuses=_everyone(302, anon=302), method="post"),
    "accounts:language": Expect(default=302, statuses=_everyone(302, anon=302), method="post"),
    "accounts:settings": Expect(default=200, statuses=_everyone(200)),
    "accounts:password_change": Expect(default=200, statuses=_everyone(200)),
    # With the second factor given: the step forwards; set-up shows the page to a session
    # without an app; renewing the recovery codes without a code is refused next to the field.
    "accounts:sessions_end": Expect(default=302, statuses=_everyone(302), method="post"),
    # "Stay signed in" in the warning before the idle limit: nothing to show, just 204.
    "accounts:session_extend": Expect(default=204, statuses=_everyone(204), method="post", is_page=False),
    "accounts:mfa": Expect(default=302, statuses=_everyone(302)),
    "accounts:mfa_setup": Expect(default=200, statuses=_everyone(200)),
    "accounts:mfa_codes": Expect(default=400, statuses=_everyone(400), method="post"),
    "accounts:password_set": Expect(
        default=200,
        statuses=_everyone(200, anon=200),
        kwargs=lambda demo: {"uidb64": "MQ", "token": "not-a-valid-token"},
    ),
    "network:network_page": Expect(default=200, statuses=_everyone(200)),
    "participants:list": _only(PERSONAL_DATA_ROLES),
    "participants:search": Expect(
        default=404, statuses={ANON: LOGIN_REDIRECT, **dict.fromkeys(PERSONAL_DATA_ROLES, 302)}, method="post"
    ),
    "participants:create": _only(PARTICIPANT_EDITORS),
    "participants:detail": _participant_page(),
    "participants:edit": _participant_page(editors_only=True),
    "participants:residence_create": _participant_page(editors_only=True),
    "participants:consent_create": _participant_page(editors_only=True),
    "participants:consent_revoke": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 302, "team_lead": 302},
        kwargs=lambda demo: {"pk": mohammed(demo).consents.get().pk},
        method="post",
    ),
    "participants:consent_scan": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "cm_a": 200, "po_a": 200, "team_lead": 200},
        kwargs=lambda demo: {"pk": mohammed(demo).consents.get().pk},
        is_page=False,
    ),
    "participants:info_sheet": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, **PERSONAL_DATA_ROLES},
        kwargs=lambda demo: {"language": "ar"},
    ),
    "network:manage": _only(ADMIN_ANY_NETWORK),
    "network:staff_list": _only(ADMIN_ANY_NETWORK),
    "network:staff_create": _only(ADMIN_ANY_NETWORK),
    "network:organisation_create": _only(ADMIN_ANY_NETWORK),
    "network:office_create": _only(ADMIN_ANY_NETWORK),
    "network:team_create": _only(ADMIN_ANY_NETWORK),
    "network:site_create": _only(ADMIN_ANY_NETWORK),
    "network:organisation_edit": _admin_object(
        lambda demo: {"pk": demo.partners["A"].pk}, lambda demo: demo.partners["A"].privacy_officer
    ),
    "network:office_edit": _admin_object(
        lambda demo: {"pk": _office(demo).pk}, lambda demo: _office(demo).street
    ),
    "network:team_edit": _admin_object(
        lambda demo: {"pk": demo.teams["Rostock"].pk}, lambda demo: demo.teams["Rostock"].region
    ),
    "network:site_detail": _admin_object(lambda demo: {"pk": _site(demo).pk}, lambda demo: _site(demo).name),
    "network:site_edit": _admin_object(lambda demo: {"pk": _site(demo).pk}, lambda demo: _site(demo).name),
    "network:hour_create": _admin_object(lambda demo: {"site_pk": _site(demo).pk}),
    "network:hour_edit": _admin_object(lambda demo: {"pk": _hour(demo).pk}),
    "network:hour_delete": _admin_object(lambda demo: {"pk": _hour(demo).pk}, post=True),
    "network:staff_detail": _admin_object(
        lambda demo: {"pk": demo.users["cm_a"].pk}, lambda demo: demo.users["cm_a"].email
    ),
    "network:staff_edit": _admin_object(
        lambda demo: {"pk": demo.users["cm_a"].pk}, lambda demo: demo.users["cm_a"].email
    ),
    "network:staff_set_active": _admin_object(lambda demo: {"pk": demo.users["cm_a"].pk}, post=True),
    "network:staff_invite": _admin_object(lambda demo: {"pk": demo.users["cm_a"].pk}, post=True),
    "network:staff_mfa_reset": Expect(
        default=404,
        statuses={ANON: LOGIN_REDIRECT, "admin": 400},  # 400: the identity check is not confirmed
        kwargs=lambda demo: {"pk": demo.users["cm_a"].pk},
        method="post",
    ),
    "network:membership_create": _admin_object(lambda demo: {"staff_pk": demo.users["cm_a"].pk}),
    "network:membership_end": _admin_object(lambda demo: {"pk": _membership(demo).pk}, post=True),
}

EXPECTATIONS |= (
    expectations_projects.EXPECTATIONS
    | expectations_esf.EXPECTATIONS
    | expectations_cases.EXPECTATIONS
    | expectations_profile_documents.EXPECTATIONS
    | expectations_exit.EXPECTATIONS
    | expectations_transfer.EXPECTATIONS
    | expectations_rules.EXPECTATIONS
)
EXPECTATIONS |= expectations_mobile_caseload.EXPECTATIONS
EXPECTATIONS |= expectations_plan.EXPECTATIONS
EXPECTATIONS |= expectations_tasks.EXPECTATIONS
EXPECTATIONS |= expectations_privacy.EXPECTATIONS
EXPECTATIONS |= expectations_jobs.EXPECTATIONS
EXPECTATIONS |= expectations_placement_catalogue.EXPECTATIONS
EXPECTATIONS |= expectations_placement_links.EXPECTATIONS
EXPECTATIONS |= expectations_placement_employers.EXPECTATIONS
EXPECTATIONS |= expectations_placement_pipeline.EXPECTATIONS
EXPECTATIONS |= expectations_placement_matching.EXPECTATIONS
EXPECTATIONS |= expectations_offers_catalogue.EXPECTATIONS
EXPECTATIONS |= expectations_offers_referrals.EXPECTATIONS
EXPECTATIONS |= expectations_offers_pathways.EXPECTATIONS
EXPECTATIONS |= expectations_offers_groups.EXPECTATIONS
EXPECTATIONS |= expectations_offers_network_work.EXPECTATIONS
EXPECTATIONS |= expectations_reporting_indicators.EXPECTATIONS
EXPECTATIONS |= expectations_reporting_exports.EXPECTATIONS
EXPECTATIONS |= expectations_reporting_projects.EXPECTATIONS
EXPECTATIONS |= expectations_spreadsheets_imports.EXPECTATIONS
EXPECTATIONS |= expectations_spreadsheets_exports.EXPECTATIONS
EXPECTATIONS |= expectations_reporting_dashboards.EXPECTATIONS
EXPECTATIONS |= expectations_dedupe_cross.EXPECTATIONS
EXPECTATIONS |= expectations_dedupe_review.EXPECTATIONS
